// The analytical report as a list of sections of neutral blocks (text, bullets, figures, tables, charts), which the
// PowerPoint and the Word renderers both draw: one content, two formats, the same numbers.

export interface Kpi {
  label: string;
  value: string;
  sub?: string;
}

export interface ChartSeries {
  name: string;
  values: (number | null)[];
  color: string;
  /** Drawn dashed (interval bounds). */
  dashed?: boolean;
}

export interface ChartSpec {
  type: 'line' | 'bar';
  /** Bars run left to right (long labels). */
  horizontal?: boolean;
  title: string;
  categories: string[];
  series: ChartSeries[];
  /** One colour per bar (a single series of bars). */
  pointColors?: string[];
  min?: number;
  max?: number;
  /** Bars of the series stacked. */
  stacked?: boolean;
  /** Value labels on bars. */
  labels?: boolean;
  numberFormat?: string;
}

export type Block =
  | { kind: 'text'; text: string }
  | { kind: 'bullets'; items: string[] }
  /** What is missing or withheld, said plainly. */
  | { kind: 'note'; text: string }
  | { kind: 'kpis'; items: Kpi[] }
  | { kind: 'table'; head: string[]; rows: string[][]; numeric?: boolean[]; caption?: string }
  | { kind: 'chart'; chart: ChartSpec }
  | { kind: 'quotes'; items: { text: string; by: string }[] };

export interface Section {
  id: string;
  title: string;
  blocks: Block[];
}

export interface ReportModel {
  locale: 'ru' | 'en';
  title: string;
  orgName: string;
  /** Period, audience and unit in one line. */
  subtitle: string;
  generated: string;
  brandNote: string;
  footer: string;
  sections: Section[];
}

/** Sarafan's palette (the dashboard's teal): organisations have no colours or logo of their own yet. */
export const PALETTE = {
  primary: '087F5B',
  accent: '12B886',
  ink: '212529',
  muted: '6C757D',
  light: 'E6FCF5',
  promoter: '2F9E44',
  passive: 'ADB5BD',
  detractor: 'E03131',
  interval: '74C0FC',
  line: '1C7ED6',
} as const;
