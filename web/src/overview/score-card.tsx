/** @module The headline: NPS without a % sign, its margin and interval, the segment shares, the change. */
import {
  Badge,
  Divider,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconArrowDownRight, IconArrowRight, IconArrowUpRight, IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Audience, Locale, Overview } from '../api/types';
import { formatCount, formatDiff, formatNps, formatPValue, formatShare } from '../format';
import { SEGMENT_FILL } from './segment';

export function ScoreCard({ overview, audience }: { overview: Overview; audience: Audience }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const { total, previous, change } = overview;
  const share = (count: number) => (total.n > 0 ? count / total.n : 0);
  const segments = [
    { key: 'promoters', count: total.promoters, color: SEGMENT_FILL.promoter },
    { key: 'passives', count: total.passives, color: SEGMENT_FILL.passive },
    { key: 'detractors', count: total.detractors, color: SEGMENT_FILL.detractor },
  ] as const;

  return (
    <Paper withBorder p="lg" h="100%">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={2} size="h5" c="dimmed" fw={600}>
            {audience === 'employee' ? t('score.eTitle') : t('score.title')}
          </Title>
          {total.smallSample && (
            <Tooltip label={t('score.smallSampleHint')} multiline w={240}>
              <Badge color="orange" variant="light" leftSection={<IconInfoCircle size={14} />}>
                {t('score.smallSample')}
              </Badge>
            </Tooltip>
          )}
        </Group>

        <div>
          <Group gap="xs" align="baseline" wrap="nowrap">
            <Text
              fz={56}
              fw={700}
              lh={1}
              data-testid="nps-value"
              style={{ fontVariantNumeric: 'tabular-nums' }}
            >
              {formatNps(locale, total.nps)}
            </Text>
            {total.moe !== null && (
              <Tooltip label={t('score.moeHint')}>
                <Text fz="xl" c="dimmed" fw={500}>
                  {t('score.moe', { value: formatNps(locale, total.moe) })}
                </Text>
              </Tooltip>
            )}
          </Group>
          {total.ci95 && (
            <Text size="sm" c="dimmed" mt={6}>
              {t('score.interval', {
                lo: formatNps(locale, total.ci95[0]),
                hi: formatNps(locale, total.ci95[1]),
              })}
            </Text>
          )}
          <Text size="sm" c="dimmed">
            {t('score.answers', { count: total.n, n: formatCount(locale, total.n) })}
          </Text>
        </div>

        <Stack gap={6}>
          <Progress.Root size="lg" aria-label={t('score.shares')}>
            {segments.map((segment) => (
              <Progress.Section key={segment.key} value={share(segment.count) * 100} color={segment.color} />
            ))}
          </Progress.Root>
          <SimpleGrid cols={3} spacing="xs">
            {segments.map((segment) => (
              <Stack key={segment.key} gap={0}>
                <Group gap={6} wrap="nowrap">
                  <span
                    aria-hidden
                    style={{
                      width: 10,
                      height: 10,
                      borderRadius: 5,
                      background: segment.color,
                      flex: 'none',
                    }}
                  />
                  <Text size="xs" c="dimmed" truncate="end">
                    {t(`segment.${segment.key}`)}
                  </Text>
                </Group>
                <Text fw={600}>{formatShare(locale, share(segment.count))}</Text>
              </Stack>
            ))}
          </SimpleGrid>
        </Stack>

        <Divider />
        <ChangeLine locale={locale} previousNps={previous?.nps ?? null} change={change} />
      </Stack>
    </Paper>
  );
}

function ChangeLine({
  locale,
  previousNps,
  change,
}: {
  locale: Locale;
  previousNps: number | null;
  change: Overview['change'];
}) {
  const { t } = useTranslation();
  if (!change || previousNps === null) {
    return (
      <Stack gap={2}>
        <Text size="xs" c="dimmed">
          {t('change.title')}
        </Text>
        <Text size="sm" c="dimmed">
          {t('change.previousEmpty')}
        </Text>
      </Stack>
    );
  }
  const Arrow = change.diff > 0 ? IconArrowUpRight : change.diff < 0 ? IconArrowDownRight : IconArrowRight;
  // Colour only a significant change: an insignificant one is not called a change (PRODUCT R1).
  const color = !change.significant ? 'gray' : change.diff > 0 ? 'green' : change.diff < 0 ? 'red' : 'gray';
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed">
        {t('change.title')}
      </Text>
      <Group gap="xs" wrap="wrap">
        <Group gap={4} wrap="nowrap">
          <Arrow size={22} color={`var(--mantine-color-${color}-7)`} aria-hidden />
          <Text fw={700} fz="lg" c={`${color}.7`} data-testid="nps-change">
            {formatDiff(locale, change.diff)}
          </Text>
        </Group>
        <Tooltip
          label={change.significant ? t('change.significantHint') : t('change.notSignificantHint')}
          multiline
          w={260}
        >
          <Badge
            variant={change.significant ? 'filled' : 'outline'}
            color={change.significant ? color : 'gray'}
          >
            {change.significant ? t('change.significant') : t('change.notSignificant')}
          </Badge>
        </Tooltip>
        <Text size="xs" c="dimmed">
          {t('change.pValue', { value: formatPValue(locale, change.pValue) })}
        </Text>
      </Group>
      <Text size="sm" c="dimmed">
        {t('change.previous', { value: formatNps(locale, previousNps) })}
      </Text>
    </Stack>
  );
}
