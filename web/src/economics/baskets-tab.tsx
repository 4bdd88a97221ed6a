/** @module Baskets of services per segment, and the transition matrix between segments as a heatmap with the closed loop's effect. */
import { Badge, Card, Group, ScrollArea, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { formatCount, formatPValue, formatShare } from '../format';
import { type BasketsReport, formatMoney, type MatrixRow, SEGMENTS, type TransitionsReport } from './api';
import { ThinData } from './value-tab';

export function BasketsTable({ report, locale }: { report: BasketsReport; locale: Locale }) {
  const { t } = useTranslation();
  if (report.insufficient) return <ThinData reason={report.insufficient} />;
  const forecast = new Map(report.forecast?.rows.map((r) => [r.service, r]) ?? []);
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t('economicsBaskets.customers', {
          promoters: formatCount(locale, report.customers.promoter),
          passives: formatCount(locale, report.customers.passive),
          detractors: formatCount(locale, report.customers.detractor),
        })}
      </Text>
      <ScrollArea>
        <Table striped highlightOnHover fz="sm" miw={880} data-testid="baskets-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('economicsBaskets.service')}</Table.Th>
              {SEGMENTS.map((s) => (
                <Table.Th key={s} ta="right">
                  {t(`economics.segment_${s}`)}
                </Table.Th>
              ))}
              <Table.Th ta="right">{t('economicsBaskets.spendPerBuyer')}</Table.Th>
              <Table.Th ta="right">{t('economicsBaskets.qValue')}</Table.Th>
              <Table.Th>{t('economicsBaskets.typical')}</Table.Th>
              {report.forecast && <Table.Th ta="right">{t('economicsBaskets.forecast')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.services.map((r) => {
              const f = forecast.get(r.service);
              return (
                <Table.Tr key={r.service}>
                  <Table.Td>{r.service}</Table.Td>
                  {SEGMENTS.map((s) => (
                    <Table.Td key={s} ta="right">
                      {r.bySegment[s].share === null
                        ? '—'
                        : formatShare(locale, r.bySegment[s].share as number)}
                      <Text span size="xs" c="dimmed">
                        {' '}
                        {r.bySegment[s].visitsPerBuyer === null
                          ? ''
                          : t('economicsBaskets.visits', {
                              value: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(
                                r.bySegment[s].visitsPerBuyer as number,
                              ),
                            })}
                      </Text>
                    </Table.Td>
                  ))}
                  <Table.Td ta="right">
                    {formatMoney(locale, r.bySegment.promoter.spendPerBuyer, report.currency)} /{' '}
                    {formatMoney(locale, r.bySegment.detractor.spendPerBuyer, report.currency)}
                  </Table.Td>
                  <Table.Td ta="right">
                    {r.lowCounts ? (
                      <Tooltip label={t('economicsBaskets.lowCounts')}>
                        <Text span size="xs" c="dimmed">
                          n/a
                        </Text>
                      </Tooltip>
                    ) : r.qValue === null ? (
                      '—'
                    ) : (
                      formatPValue(locale, r.qValue)
                    )}
                  </Table.Td>
                  <Table.Td>
                    {r.typicalOf ? (
                      <Badge size="sm" color={r.typicalOf === 'promoter' ? 'teal' : 'red'} variant="light">
                        {t(`economicsBaskets.typical_${r.typicalOf}`)}
                      </Badge>
                    ) : r.significant ? (
                      <Badge size="sm" color="gray" variant="light">
                        {t('economicsBaskets.differs')}
                      </Badge>
                    ) : null}
                  </Table.Td>
                  {report.forecast && (
                    <Table.Td ta="right">
                      {f
                        ? `${formatShare(locale, f.buyersShareNow)} → ${formatShare(locale, f.buyersShareThen)}`
                        : '—'}
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <Text size="xs" c="dimmed">
        {t('economicsBaskets.method')}
        {report.forecast &&
          ` ${t('economicsBaskets.forecastNote', {
            promoter: formatShare(locale, report.forecast.shares.promoter),
            passive: formatShare(locale, report.forecast.shares.passive),
            detractor: formatShare(locale, report.forecast.shares.detractor),
          })}`}
        {report.omitted > 0 && ` ${t('economicsBaskets.omitted', { count: report.omitted })}`}
      </Text>
    </Stack>
  );
}

/** A 3×3 heatmap: the darker a cell, the likelier the move; each row sums to 100%. */
export function Heatmap({ rows, locale, testId }: { rows: MatrixRow[]; locale: Locale; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Table withTableBorder withColumnBorders fz="sm" maw={560} data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('economicsTransitions.fromTo')}</Table.Th>
          {SEGMENTS.map((s) => (
            <Table.Th key={s} ta="center">
              {t(`economics.segment_${s}`)}
            </Table.Th>
          ))}
          <Table.Th ta="right">n</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.from}>
            <Table.Th>{t(`economics.segment_${row.from}`)}</Table.Th>
            {SEGMENTS.map((to) => {
              const cell = row.to[to];
              const alpha = cell ? 0.1 + 0.8 * cell.p : 0;
              return (
                <Table.Td
                  key={to}
                  ta="center"
                  style={{
                    background: cell ? `rgba(34, 139, 230, ${alpha})` : undefined,
                    color: alpha > 0.55 ? 'white' : undefined,
                  }}
                >
                  {cell ? (
                    <Tooltip
                      label={t('economicsTransitions.cellInterval', {
                        low: formatShare(locale, cell.ci95[0]),
                        high: formatShare(locale, cell.ci95[1]),
                      })}
                    >
                      <span>{formatShare(locale, cell.p)}</span>
                    </Tooltip>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              );
            })}
            <Table.Td ta="right">
              {formatCount(locale, row.n)}
              {row.insufficient && (
                <Badge ml={4} size="xs" color="orange" variant="light">
                  {t('economicsTransitions.thin')}
                </Badge>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function TransitionsPanel({ report, locale }: { report: TransitionsReport; locale: Locale }) {
  const { t } = useTranslation();
  const cl = report.closedLoop;
  const days = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('economicsTransitions.intro', {
          count: report.transitions,
          days: report.meanDaysBetween === null ? '—' : days.format(report.meanDaysBetween),
          min: report.minRowTransitions,
        })}
      </Text>
      {report.insufficient ? (
        <ThinData reason={report.insufficient} />
      ) : (
        <Heatmap rows={report.matrix} locale={locale} testId="heatmap" />
      )}
      <Card withBorder radius="md" padding="md">
        <Stack gap={4}>
          <Title order={3} size="h5">
            {t('economicsTransitions.closedLoop')}
          </Title>
          {cl.withCase.share === null || cl.withoutCase.share === null ? (
            <ThinData reason="too_few_transitions" />
          ) : (
            <Text size="sm" data-testid="closed-loop-effect">
              {t('economicsTransitions.closedLoopText', {
                withShare: formatShare(locale, cl.withCase.share),
                withN: cl.withCase.n,
                withoutShare: formatShare(locale, cl.withoutCase.share),
                withoutN: cl.withoutCase.n,
                p: cl.pValue === null ? '—' : formatPValue(locale, cl.pValue),
              })}
            </Text>
          )}
        </Stack>
      </Card>
      {report.byUnit.length > 0 && (
        <Stack gap="xs">
          <Title order={3} size="h5">
            {t('economicsTransitions.byUnit')}
          </Title>
          <Group gap="lg" align="flex-start">
            {report.byUnit.slice(0, 6).map((u) => (
              <Stack key={u.unitId ?? 'none'} gap={4}>
                <Text size="sm" fw={600}>
                  {u.name ?? t('economicsTransitions.noUnit')} · n = {formatCount(locale, u.transitions)}
                </Text>
                {u.matrix ? (
                  <Heatmap rows={u.matrix} locale={locale} />
                ) : (
                  <ThinData reason="too_few_transitions" />
                )}
              </Stack>
            ))}
          </Group>
        </Stack>
      )}
      {report.byPeriod.length > 0 && (
        <Stack gap="xs">
          <Title order={3} size="h5">
            {t('economicsTransitions.byPeriod')}
          </Title>
          <Table fz="sm" maw={720}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('economicsTransitions.period')}</Table.Th>
                <Table.Th ta="right">n</Table.Th>
                <Table.Th ta="right">{t('economicsTransitions.detractorUp')}</Table.Th>
                <Table.Th ta="right">{t('economicsTransitions.promoterDown')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.byPeriod.map((p) => {
                const d = p.matrix[2];
                const pr = p.matrix[0];
                const up =
                  d && d.n >= report.minRowTransitions
                    ? (d.to.promoter?.p ?? 0) + (d.to.passive?.p ?? 0)
                    : null;
                const down =
                  pr && pr.n >= report.minRowTransitions
                    ? (pr.to.detractor?.p ?? 0) + (pr.to.passive?.p ?? 0)
                    : null;
                return (
                  <Table.Tr key={p.period}>
                    <Table.Td>{p.period}</Table.Td>
                    <Table.Td ta="right">{formatCount(locale, p.transitions)}</Table.Td>
                    <Table.Td ta="right">
                      {up === null ? t('economicsTransitions.few') : formatShare(locale, up)}
                    </Table.Td>
                    <Table.Td ta="right">
                      {down === null ? t('economicsTransitions.few') : formatShare(locale, down)}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Stack>
  );
}
