/** @module The HTML document shell shared by every survey page: head, inline style, optional inline script. */
import type { Child } from 'hono/jsx';
import { surveyStyle } from './page-assets.js';
import type { SurveyLocale } from './pages.js';

interface SurveyDocumentProps {
  locale: SurveyLocale;
  title: string;
  script?: string;
  children: Child;
}

/** Our own constants only go through `dangerouslySetInnerHTML`; user text is always a child, so escaped. */
function SurveyDocument({ locale, title, script, children }: SurveyDocumentProps) {
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{title}</title>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: our own constant CSS, never user text */}
        <style dangerouslySetInnerHTML={{ __html: surveyStyle }} />
      </head>
      <body>
        <main>
          <div class="card">{children}</div>
        </main>
        {script ? (
          // biome-ignore lint/security/noDangerouslySetInnerHtml: our own constant script, never user text
          <script dangerouslySetInnerHTML={{ __html: script }} />
        ) : null}
      </body>
    </html>
  );
}

/** Renders a complete HTML document as a string. Every component here is synchronous. */
export function renderDocument(props: SurveyDocumentProps): string {
  const element = <SurveyDocument {...props} />;
  if (element instanceof Promise) throw new Error('survey pages must render synchronously');
  return `<!doctype html>${element.toString()}`;
}
