/** @module The latest reasons people gave, newest first; the text is shown as text, never as HTML. */
import { Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LatestReason, Locale } from '../api/types';
import { formatAnsweredAt } from '../format';
import { SEGMENT_COLOR, segmentOf } from './segment';

export function LatestReasons({
  reasons,
  locale,
  timeZone,
  anonymous = false,
}: {
  reasons: LatestReason[];
  locale: Locale;
  timeZone: string;
  /** Employee comments: no unit and no time under them, so nothing narrows down who wrote them. */
  anonymous?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={0}>
      {reasons.map((reason, index) => {
        const segment = segmentOf(reason.score);
        return (
          <Group
            key={reason.id}
            gap="sm"
            align="flex-start"
            wrap="nowrap"
            py="sm"
            style={index > 0 ? { borderTop: '1px solid var(--mantine-color-gray-2)' } : undefined}
          >
            <Tooltip label={t(`segment.${segment}`)}>
              <Badge
                color={SEGMENT_COLOR[segment]}
                variant="filled"
                autoContrast
                size="lg"
                circle
                style={{ flex: 'none' }}
                aria-label={`${reason.score} — ${t(`segment.${segment}`)}`}
              >
                {reason.score}
              </Badge>
            </Tooltip>
            <Stack gap={2} miw={0} style={{ flex: 1 }}>
              <Text size="sm" style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
                {reason.reason}
              </Text>
              {!anonymous && (
                <Text size="xs" c="dimmed">
                  {reason.unitName ?? t('reasons.noUnit')} ·{' '}
                  {formatAnsweredAt(locale, reason.answeredAt, timeZone)}
                </Text>
              )}
            </Stack>
          </Group>
        );
      })}
    </Stack>
  );
}
