/**
 * @module One line under a chart: "Industry average 16, leader eBay, Amazon 75 — F. Reichheld…, 2001". Nothing
 * when the org chose no industry and has no average or leader of its own.
 */
import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { formatNps } from '../format';
import { type IndustryReference, type Reference, useIndustryReference } from './api';

/** "Source, year" of the references (one when both come from the same study). */
export function sourcesOf(reference: IndustryReference, locale: Locale, yearUnknown: string): string {
  const cite = (r: Reference) => `${r.source[locale]}, ${r.year ?? yearUnknown}`;
  const all = [reference.average, reference.leader].filter((r): r is Reference => r !== null).map(cite);
  return [...new Set(all)].join('; ');
}

export function BenchmarkNote() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const reference = useIndustryReference();
  const r = reference.data;
  if (!r || (!r.average && !r.leader)) return null;
  const source = sourcesOf(r, locale, t('benchmarks.yearUnknown'));
  const leader = r.leader ? `${r.leader.name[locale]} ${formatNps(locale, r.leader.value)}` : '';
  const average = r.average ? formatNps(locale, r.average.value) : '';
  const key = r.average && r.leader ? 'line' : r.average ? 'averageOnly' : 'leaderOnly';
  return (
    <Text size="xs" c="dimmed" data-testid="benchmark-note">
      {t(`benchmarksNote.${key}`, { average, leader, source })}
    </Text>
  );
}
