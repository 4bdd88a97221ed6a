/** @module Progress of the phone interviews for supervisors: the queue, each operator's results, the latest outcomes. */
import {
  Badge,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, User } from '../api/types';
import { formatCount } from '../format';
import { ProblemAlert } from '../problem-alert';
import { type CallOutcome, useCallStats } from './api';

type Period = 'today' | 'week' | 'month';

const OUTCOME_COLOR: Record<CallOutcome, string> = {
  answered: 'teal',
  refused: 'red',
  wrong_number: 'red',
  no_answer: 'gray',
  busy: 'gray',
  call_back: 'blue',
};

function fromOf(period: Period): string | null {
  if (period === 'today') return null; // the server's default: today in the organisation's time zone
  const days = period === 'week' ? 7 : 30;
  const d = new Date(Date.now() - days * 86_400_000);
  d.setSeconds(0, 0);
  return d.toISOString();
}

function decimal(locale: Locale, value: number | null): string {
  return value === null ? '—' : new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

export function Supervision({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const [period, setPeriod] = useState<Period>('today');
  const from = useMemo(() => fromOf(period), [period]);
  const stats = useCallStats(from);
  const data = stats.data;
  const time = (iso: string) =>
    new Intl.DateTimeFormat(locale, {
      timeZone: user.timeZone,
      ...(period === 'today' ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' }),
    }).format(new Date(iso));

  const totals = data
    ? ([
        ['queued', data.totals.queued],
        ['dueNow', data.totals.dueNow],
        ['calling', data.totals.calling],
        ['done', data.totals.done],
        ['attempts', data.totals.attempts],
        ['answered', data.totals.answered],
      ] as const)
    : [];

  return (
    <Stack gap="md">
      <SegmentedControl
        w="fit-content"
        value={period}
        onChange={(v) => setPeriod(v as Period)}
        data={(['today', 'week', 'month'] as const).map((p) => ({ value: p, label: t(`callPeriod.${p}`) }))}
        aria-label={t('callPeriod.label')}
      />
      {stats.error && <ProblemAlert error={stats.error} onRetry={() => void stats.refetch()} />}
      {!data && !stats.error && <Skeleton h={240} />}
      {data && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
            {totals.map(([key, value]) => (
              <Paper key={key} withBorder p="sm" radius="md">
                <Text size="xs" c="dimmed">
                  {t(`callTotals.${key}`)}
                </Text>
                <Text fw={700} size="xl" data-testid={`calls-total-${key}`}>
                  {formatCount(locale, value)}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
          <Paper withBorder p="md" radius="md">
            <Title order={3} size="h4" mb="sm">
              {t('calls.byOperator')}
            </Title>
            {data.operators.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t('calls.noAttempts')}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={640}>
                <Table striped highlightOnHover data-testid="calls-operators">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('callCol.operator')}</Table.Th>
                      <Table.Th ta="right">{t('callCol.attempts')}</Table.Th>
                      <Table.Th ta="right">{t('callCol.reached')}</Table.Th>
                      <Table.Th ta="right">{t('callCol.answered')}</Table.Th>
                      <Table.Th ta="right">{t('callCol.refused')}</Table.Th>
                      <Table.Th ta="right">{t('callCol.averageScore')}</Table.Th>
                      <Table.Th ta="right">{t('callCol.perHour')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.operators.map((o, k) => (
                      <Table.Tr key={o.operatorId}>
                        <Table.Td>{o.name ?? t('calls.operatorN', { n: k + 1 })}</Table.Td>
                        <Table.Td ta="right">{o.attempts}</Table.Td>
                        <Table.Td ta="right">{o.reached}</Table.Td>
                        <Table.Td ta="right">{o.answered}</Table.Td>
                        <Table.Td ta="right">{o.refused}</Table.Td>
                        <Table.Td ta="right">{decimal(locale, o.averageScore)}</Table.Td>
                        <Table.Td ta="right">{decimal(locale, o.answersPerHour)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Paper>
          {data.recent.length > 0 && (
            <Paper withBorder p="md" radius="md">
              <Title order={3} size="h4" mb="sm">
                {t('calls.recent')}
              </Title>
              <Stack gap={0}>
                {data.recent.map((r, k) => (
                  <Group
                    key={`${r.taskId}-${r.at}`}
                    gap="sm"
                    py={6}
                    wrap="nowrap"
                    align="flex-start"
                    style={k > 0 ? { borderTop: '1px solid var(--mantine-color-gray-2)' } : undefined}
                  >
                    <Text size="sm" c="dimmed" w={72} style={{ flex: 'none' }}>
                      {time(r.at)}
                    </Text>
                    <Stack gap={2} miw={0} style={{ flex: 1 }}>
                      <Group gap={6}>
                        <Badge color={OUTCOME_COLOR[r.outcome]} variant="light">
                          {t(`callOutcome.${r.outcome}`)}
                        </Badge>
                        {r.score !== null && (
                          <Badge color={r.score >= 9 ? 'teal' : r.score >= 7 ? 'yellow' : 'red'} circle>
                            {r.score}
                          </Badge>
                        )}
                        <Text size="sm">
                          {[r.customerName, r.unitName, r.operatorName].filter(Boolean).join(' · ')}
                        </Text>
                      </Group>
                      {(r.reason || r.note) && (
                        <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                          {[r.reason, r.note].filter(Boolean).join(' — ')}
                        </Text>
                      )}
                    </Stack>
                  </Group>
                ))}
              </Stack>
            </Paper>
          )}
        </>
      )}
    </Stack>
  );
}
