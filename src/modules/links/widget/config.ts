/** @module What the server writes into each widget script: where to post, and the survey's texts. */
export type WidgetLocale = 'ru' | 'en';

export interface WidgetStrings {
  question: string;
  reason: string;
  low: string;
  high: string;
  optional: string;
  send: string;
  close: string;
  thanks: string;
  failed: string;
  region: string;
  of: string;
}

export interface WidgetConfig {
  /** POST /w/{slug}/answers, relative to the script's own URL. */
  url: string;
  slug: string;
  /** The survey's language, unless the script tag says `data-lang`. */
  lang: WidgetLocale;
  /** Days the widget stays hidden after it is closed or answered. */
  quietDays: number;
  texts: Record<WidgetLocale, WidgetStrings>;
}
