/** @module Choosing channels in order of preference: each customer gets the first one that reaches them. */
import { ActionIcon, Badge, Checkbox, Group, Stack, Text } from '@mantine/core';
import { IconArrowUp } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { SendChannel } from './api';

const ALL: readonly SendChannel[] = ['email', 'sms', 'phone'];

export function ChannelOrder({
  label,
  value,
  onChange,
}: {
  label: string;
  value: SendChannel[];
  onChange: (channels: SendChannel[]) => void;
}) {
  const { t } = useTranslation();
  // Chosen channels first, in their order; the others after them, unticked.
  const rows = [...value, ...ALL.filter((c) => !value.includes(c))];
  const raise = (channel: SendChannel) => {
    const at = value.indexOf(channel);
    if (at <= 0) return;
    const next = [...value];
    [next[at - 1], next[at]] = [next[at]!, next[at - 1]!];
    onChange(next);
  };
  return (
    <Stack gap={4} role="group" aria-label={label}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Text size="xs" c="dimmed">
        {t('sending.channelsHint')}
      </Text>
      {rows.map((channel) => {
        const rank = value.indexOf(channel);
        return (
          <Group key={channel} gap="xs" wrap="nowrap">
            <Checkbox
              label={t(`sending.channel_${channel}`)}
              checked={rank >= 0}
              onChange={(e) =>
                onChange(e.currentTarget.checked ? [...value, channel] : value.filter((c) => c !== channel))
              }
            />
            {rank >= 0 && (
              <Badge size="sm" variant="light">
                {rank + 1}
              </Badge>
            )}
            {rank > 0 && (
              <ActionIcon
                variant="subtle"
                size="sm"
                aria-label={t('sending.raise', { channel: t(`sending.channel_${channel}`) })}
                onClick={() => raise(channel)}
              >
                <IconArrowUp size={14} />
              </ActionIcon>
            )}
          </Group>
        );
      })}
    </Stack>
  );
}
