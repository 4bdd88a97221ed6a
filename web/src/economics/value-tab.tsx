/** @module Segment value cards with intervals, the money between segments, what is at stake, word of mouth. */
import { Alert, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { formatCount, formatShare } from '../format';
import {
  formatMoney,
  formatMoneyRange,
  type Insufficient,
  type SegmentValue,
  type ValuesReport,
} from './api';

const COLOR = { promoter: 'teal', passive: 'yellow', detractor: 'red' } as const;

export function ThinData({ reason }: { reason: Insufficient | string | null }) {
  const { t } = useTranslation();
  return (
    <Text size="sm" c="dimmed" fs="italic" data-testid="insufficient">
      {t(`economics.insufficient_${reason ?? 'too_few_customers'}`)}
    </Text>
  );
}

function SegmentCard({ v, currency, locale }: { v: SegmentValue; currency: string; locale: Locale }) {
  const { t } = useTranslation();
  const years = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return (
    <Card withBorder radius="md" padding="md" data-testid={`value-${v.segment}`}>
      <Stack gap={6}>
        <Group justify="space-between">
          <Badge color={COLOR[v.segment]} variant="light">
            {t(`economics.segment_${v.segment}`)}
          </Badge>
          <Text size="xs" c="dimmed">
            {t('economicsValue.customers', { count: v.customers, active: formatCount(locale, v.active) })}
          </Text>
        </Group>
        <Text size="sm" c="dimmed">
          {t('economicsValue.ltv')}
        </Text>
        {v.ltv ? (
          <>
            <Text fz={28} fw={700} lh={1.1} data-testid={`ltv-${v.segment}`}>
              {formatMoney(locale, v.ltv.value, currency)}
            </Text>
            <Text size="xs" c="dimmed">
              {t('economicsValue.interval', { range: formatMoneyRange(locale, v.ltv.ci95, currency) })}
            </Text>
            <Table fz="sm" withRowBorders={false} verticalSpacing={2}>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Td c="dimmed">{t('economicsValue.revenuePerYear')}</Table.Td>
                  <Table.Td ta="right">
                    {formatMoney(locale, v.revenuePerYear?.value ?? null, currency)}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td c="dimmed">{t('economicsValue.retention')}</Table.Td>
                  <Table.Td ta="right">{v.retention ? formatShare(locale, v.retention.value) : '—'}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td c="dimmed">{t('economicsValue.lifetime')}</Table.Td>
                  <Table.Td ta="right">
                    {v.expectedLifetimeYears === null
                      ? t('economicsValue.noChurn')
                      : t('economicsValue.years', { value: years.format(v.expectedLifetimeYears) })}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td c="dimmed">{t('economicsValue.lost')}</Table.Td>
                  <Table.Td ta="right">{formatCount(locale, v.lost)}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </>
        ) : (
          <ThinData reason={v.insufficient} />
        )}
      </Stack>
    </Card>
  );
}

function Figure({
  label,
  value,
  sub,
  testId,
}: {
  label: string;
  value: string;
  sub?: string;
  testId?: string;
}) {
  return (
    <Card withBorder radius="md" padding="md" data-testid={testId}>
      <Stack gap={2}>
        <Text size="sm" c="dimmed">
          {label}
        </Text>
        <Text fz={22} fw={700}>
          {value}
        </Text>
        {sub && (
          <Text size="xs" c="dimmed">
            {sub}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

export function ValueTab({ report, locale }: { report: ValuesReport; locale: Locale }) {
  const { t } = useTranslation();
  const c = report.currency;
  const diff = (key: keyof ValuesReport['differences']) => {
    const d = report.differences[key];
    return d.perCustomer
      ? {
          value: formatMoney(locale, d.perCustomer.value, c),
          sub: t('economicsValue.interval', { range: formatMoneyRange(locale, d.perCustomer.ci95, c) }),
        }
      : { value: '—', sub: t(`economics.insufficient_${d.insufficient ?? 'too_few_customers'}`) };
  };
  const q = report.dataQuality;
  const a = report.assumptions;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        {report.segments.map((v) => (
          <SegmentCard key={v.segment} v={v} currency={c} locale={locale} />
        ))}
      </SimpleGrid>
      <Title order={2} size="h4">
        {t('economicsValue.difference')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md">
        <Figure
          testId="diff-pd"
          label={t('economicsValue.promoterVsDetractor')}
          {...diff('promoterVsDetractor')}
        />
        <Figure label={t('economicsValue.promoterVsPassive')} {...diff('promoterVsPassive')} />
        <Figure
          testId="at-stake"
          label={t('economicsValue.atStake')}
          value={formatMoney(locale, report.atStake.atStake, c)}
          sub={t('economicsValue.atStakeHint')}
        />
        <Figure
          testId="at-risk"
          label={t('economicsValue.revenueAtRisk')}
          value={formatMoney(locale, report.atStake.detractorRevenueAtRisk, c)}
          sub={
            report.atStake.detractorExpectedLoss === null
              ? undefined
              : t('economicsValue.expectedLoss', {
                  value: formatMoney(locale, report.atStake.detractorExpectedLoss, c),
                })
          }
        />
      </SimpleGrid>
      <Text size="sm">
        {t('economicsValue.baseValue', { value: formatMoney(locale, report.atStake.baseValue, c) })}
      </Text>
      <Alert variant="light" color="gray" icon={<IconInfoCircle />} title={t('economicsValue.method')}>
        <Stack gap={4}>
          <Text size="sm">{t('economicsValue.formula')}</Text>
          <Text size="sm">
            {t('economicsValue.assumptions', {
              margin: formatShare(locale, a.margin),
              discount: formatShare(locale, a.discountRate),
              horizon: a.horizonYears,
              churn: a.churnDays,
              window: a.windowMonths,
              samples: a.bootstrapSamples,
            })}
          </Text>
          <Text size="sm" data-testid="data-quality">
            {t('economicsValue.quality', {
              customers: formatCount(locale, q.customers),
              unanswered: formatCount(locale, q.unanswered),
              oneVisit: formatCount(locale, q.oneVisit),
              withoutRevenue: formatCount(locale, q.withoutRevenue),
              refunds: formatMoney(locale, q.refundsMinor, c),
              netNegative: formatCount(locale, q.netNegative),
            })}
          </Text>
        </Stack>
      </Alert>
      <Card withBorder radius="md" padding="md">
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('economicsValue.referrals')}
          </Title>
          {report.referrals.available ? (
            <Table striped fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('economics.segment')}</Table.Th>
                  <Table.Th ta="right">{t('economicsValue.referralsMade')}</Table.Th>
                  <Table.Th ta="right">{t('economicsValue.referralsPerCustomer')}</Table.Th>
                  <Table.Th ta="right">{t('economicsValue.referralValue')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.referrals.bySegment.map((r) => (
                  <Table.Tr key={r.segment}>
                    <Table.Td>{t(`economics.segment_${r.segment}`)}</Table.Td>
                    <Table.Td ta="right">{formatCount(locale, r.referrals)}</Table.Td>
                    <Table.Td ta="right">
                      {r.referralsPerCustomer === null
                        ? '—'
                        : new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(
                            r.referralsPerCustomer,
                          )}
                    </Table.Td>
                    <Table.Td ta="right">{formatMoney(locale, r.valuePerCustomer, c)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Tooltip label={t('economicsValue.referralsHowTo')} multiline w={360}>
              <Text size="sm" c="dimmed" data-testid="no-referrals">
                {t('economicsValue.noReferrals')}
              </Text>
            </Tooltip>
          )}
        </Stack>
      </Card>
    </Stack>
  );
}
