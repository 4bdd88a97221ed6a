/** @module NPS by branch: best first, each with its interval drawn on the −100…100 scale. */
import { Badge, Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Locale, NpsRow } from '../api/types';
import { formatCount, formatNps } from '../format';
import { rankBranches } from './rank-branches';
import { trendAxis } from './trend-axis';

const WIDTH = 160;

/** One scale for every row (the branches' own range, rounded), so the bars compare at a glance. */
function IntervalBar({ row, domain: [lo, hi] }: { row: NpsRow; domain: [number, number] }) {
  const x = (value: number) => 4 + ((value - lo) / (hi - lo)) * (WIDTH - 8);
  if (row.nps === null || !row.ci95) return null;
  const color = row.smallSample ? '#adb5bd' : '#0ca678';
  return (
    <svg width={WIDTH} height={16} aria-hidden style={{ display: 'block' }}>
      <line x1={x(lo)} x2={x(hi)} y1={8} y2={8} stroke="#e9ecef" strokeWidth={2} />
      {lo < 0 && hi > 0 && <line x1={x(0)} x2={x(0)} y1={2} y2={14} stroke="#ced4da" />}
      <line
        x1={x(row.ci95[0])}
        x2={x(row.ci95[1])}
        y1={8}
        y2={8}
        stroke={color}
        strokeWidth={6}
        strokeOpacity={0.35}
        strokeLinecap="round"
      />
      <circle cx={x(row.nps)} cy={8} r={4} fill={color} />
    </svg>
  );
}

export function BranchTable({ rows, locale }: { rows: NpsRow[]; locale: Locale }) {
  const { t } = useTranslation();
  const { domain } = trendAxis(rows.map((row) => ({ nps: row.nps, band: row.ci95 })));
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table verticalSpacing={6} highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('branches.branch')}</Table.Th>
            <Table.Th ta="right">{t('branches.nps')}</Table.Th>
            <Table.Th visibleFrom="md">{t('branches.interval')}</Table.Th>
            <Table.Th ta="right">{t('branches.n')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rankBranches(rows).map((row) => (
            <Table.Tr key={row.key}>
              <Table.Td>
                <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                  {row.label}
                </Text>
                {row.smallSample && (
                  <Tooltip label={t('score.smallSampleHint')} multiline w={240}>
                    <Badge size="xs" color="orange" variant="light">
                      {t('score.smallSample')}
                    </Badge>
                  </Tooltip>
                )}
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm" fw={700} span>
                  {formatNps(locale, row.nps)}
                </Text>
                {row.moe !== null && (
                  <Text size="xs" c="dimmed" span>
                    {' '}
                    {t('score.moe', { value: formatNps(locale, row.moe) })}
                  </Text>
                )}
                {row.ci95 && (
                  <Text size="xs" c="dimmed" hiddenFrom="md">
                    {formatNps(locale, row.ci95[0])} … {formatNps(locale, row.ci95[1])}
                  </Text>
                )}
              </Table.Td>
              <Table.Td visibleFrom="md">
                {row.ci95 && (
                  <Tooltip label={`${formatNps(locale, row.ci95[0])} … ${formatNps(locale, row.ci95[1])}`}>
                    <div>
                      <IntervalBar row={row} domain={domain} />
                    </div>
                  </Tooltip>
                )}
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm">{formatCount(locale, row.n)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
