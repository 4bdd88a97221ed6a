// The page every Word document of Sarafan is printed on: A4 with 2 cm margins, a grey running header (none on the
// title page) and "page N of M" centred at the foot.
import { AlignmentType, Footer, Header, type ISectionOptions, PageNumber, Paragraph, TextRun } from 'docx';

export function a4Section(options: {
  /** The running header's text, e.g. 'ФитПарк · Аналитический отчёт'. */
  header: string;
  /** The words around the page number: 'Page' / 'of', 'Страница' / 'из'. */
  page: string;
  of: string;
  /** Footer on the title page too (the title page never has the running header). */
  footerOnTitle: boolean;
  children: ISectionOptions['children'];
}): ISectionOptions {
  const footer = new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          new TextRun({
            children: [`${options.page} `, PageNumber.CURRENT, ` ${options.of} `, PageNumber.TOTAL_PAGES],
            size: 18,
          }),
        ],
      }),
    ],
  });
  return {
    properties: {
      page: {
        size: { width: 11906, height: 16838 },
        margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 },
      },
      titlePage: true,
    },
    headers: {
      default: new Header({
        children: [
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            children: [new TextRun({ text: options.header, size: 16, color: '7F7F7F' })],
          }),
        ],
      }),
      first: new Header({ children: [new Paragraph({})] }),
    },
    footers: options.footerOnTitle ? { default: footer, first: footer } : { default: footer },
    children: options.children,
  };
}
