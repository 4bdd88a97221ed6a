/** @module Small pieces of the goals pages: a status badge, an indicator's value with its interval or "not enough answers". */
import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { formatNps } from '../format';
import type { GoalMetric, GoalStatus, Measurement } from './api';

export const STATUS_COLOR: Record<GoalStatus | 'upcoming', string> = {
  on_track: 'teal',
  at_risk: 'yellow',
  off_track: 'red',
  not_enough_data: 'gray',
  upcoming: 'gray',
};

export function StatusBadge({ status, partial }: { status: GoalStatus | 'upcoming'; partial?: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant={partial ? 'outline' : 'light'} data-status={status}>
      {t(`goals.${status}`)}
      {partial ? ` · ${t('goalsDetail.partial')}` : ''}
    </Badge>
  );
}

/** A value of a metric: NPS in points without a sign of percent, shares in percent. */
export function formatValue(locale: Locale, metric: GoalMetric, value: number | null): string {
  if (value === null) return '—';
  return metric === 'nps' ? formatNps(locale, value) : `${formatNps(locale, value)}%`;
}

/** The figure with its 95% interval and n; "not enough answers" instead of a number when there are too few. */
export function MeasurementText({
  metric,
  m,
  showInterval = true,
}: {
  metric: GoalMetric;
  m: Measurement | null;
  showInterval?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  if (!m) return <Text c="dimmed">—</Text>;
  if (m.value === null) {
    return (
      <Tooltip label={t('goals.notEnoughHint')} multiline w={260}>
        <Text size="sm" c="dimmed" data-testid="not-enough">
          {t('goals.notEnough')} (n = {m.n})
        </Text>
      </Tooltip>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" fw={600}>
        {formatValue(locale, metric, m.value)}
      </Text>
      {showInterval && m.ci95 && (
        <Text size="xs" c="dimmed">
          [{formatValue(locale, metric, m.ci95[0])}; {formatValue(locale, metric, m.ci95[1])}]
        </Text>
      )}
      <Text size="xs" c="dimmed">
        n = {m.n}
      </Text>
      {m.smallSample && (
        <Badge size="xs" color="orange" variant="light">
          {t('goals.small')}
        </Badge>
      )}
    </Group>
  );
}
