// The page and the house style every Word document of Sarafan uses: A4 with 2 cm margins, a grey running header
// (none on the title page), "page N of M" centred at the foot, Arial with headings in an accent colour.
import {
  AlignmentType,
  Footer,
  Header,
  type ISectionOptions,
  type IStylesOptions,
  LineRuleType,
  PageNumber,
  Paragraph,
  TextRun,
} from 'docx';

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

/** The house style of the documents: Arial 10.5 pt body, headings in the accent colour, kept with what follows. */
export function houseStyles(accent: string): IStylesOptions {
  return {
    default: {
      document: {
        run: { font: 'Arial', size: 21 },
        paragraph: { spacing: { after: 100, line: 276, lineRule: LineRuleType.AUTO } },
      },
      heading1: {
        run: { font: 'Arial', size: 30, bold: true, color: accent },
        paragraph: { spacing: { before: 360, after: 160 }, keepNext: true },
      },
      heading2: {
        run: { font: 'Arial', size: 24, bold: true, color: accent },
        paragraph: { spacing: { before: 240, after: 120 }, keepNext: true },
      },
    },
  };
}
