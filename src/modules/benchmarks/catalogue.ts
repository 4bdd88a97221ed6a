// The built-in industry benchmarks: the project's copy of the reference points quoted in the seed documents
// (industry-benchmarks.json beside this file), validated once at start and given a key per industry.
import { z } from 'zod';
import raw from './industry-benchmarks.json' with { type: 'json' };

const fileSchema = z.object({
  sets: z.array(
    z.object({
      id: z.string().min(1),
      source: z.string(),
      currency_region: z.string(),
      rows: z.array(
        z.object({
          industry: z.string().min(1),
          industry_ru: z.string().min(1),
          average: z.number().min(-100).max(100),
          leader: z.string().optional(),
          leader_nps: z.number().min(-100).max(100).optional(),
        }),
      ),
    }),
  ),
});

export interface Texts {
  en: string;
  ru: string;
}

export interface IndustryBenchmark {
  /** '<set id>/<industry slug>', e.g. 'us-satmetrix-chart/banks'. */
  key: string;
  setId: string;
  industry: Texts;
  average: number;
  leader: { name: string; nps: number } | null;
}

export interface BenchmarkSet {
  id: string;
  /** Who measured it, as printed under a chart. */
  source: Texts;
  /** The year of the study; null when the source does not state it. */
  year: number | null;
  region: string;
  /** Where the figures were quoted (the file's own provenance note). */
  quotedIn: string;
  rows: IndustryBenchmark[];
}

/**
 * How each set is cited. The file names its provenance for developers ("seeds/004…, chart …"); a reader of a
 * chart needs the study and its year. The US chart gives no year, and none is invented for it.
 */
const citations: Record<string, { source: Texts; year: number | null }> = {
  'us-satmetrix-chart': {
    source: { en: 'Satmetrix, US companies', ru: 'Satmetrix, американские компании' },
    year: null,
  },
  'ru-banks-nafi-2016': {
    source: {
      en: 'NAFI analytical centre, survey of Russian bank customers',
      ru: 'Аналитический центр НАФИ, опрос клиентов российских банков',
    },
    year: 2016,
  },
  'reichheld-2001': {
    source: {
      en: 'F. Reichheld, study of 400+ US companies',
      ru: 'Ф. Райхельд, исследование 400+ компаний США',
    },
    year: 2001,
  },
};

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function buildCatalogue(): BenchmarkSet[] {
  const file = fileSchema.parse(raw);
  return file.sets.map((set) => {
    const cited = citations[set.id] ?? {
      source: { en: set.id, ru: set.id },
      year: Number(/\b(19|20)\d\d\b/.exec(set.id)?.[0]) || null,
    };
    return {
      id: set.id,
      source: cited.source,
      year: cited.year,
      region: set.currency_region,
      quotedIn: set.source,
      rows: set.rows.map((row) => ({
        key: `${set.id}/${slug(row.industry)}`,
        setId: set.id,
        industry: { en: row.industry, ru: row.industry_ru },
        average: row.average,
        leader:
          row.leader !== undefined && row.leader_nps !== undefined
            ? { name: row.leader, nps: row.leader_nps }
            : null,
      })),
    };
  });
}

export const BENCHMARK_SETS: readonly BenchmarkSet[] = buildCatalogue();

/** The built-in industry with this key, and its set. */
export function findIndustry(key: string): { set: BenchmarkSet; row: IndustryBenchmark } | null {
  for (const set of BENCHMARK_SETS) {
    const row = set.rows.find((r) => r.key === key);
    if (row) return { set, row };
  }
  return null;
}
