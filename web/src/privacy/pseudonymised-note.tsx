/** @module The note an analyst sees on every page: the view is pseudonymised (customers as C-… codes, contacts masked). */
import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/types';

/** Shown to the analyst role only: names, e-mails and phones never reach them, so they should know why. */
export function PseudonymisedNote({ user }: { user: User }) {
  const { t } = useTranslation();
  if (user.role !== 'analyst') return null;
  return (
    <Group gap={6} mb="sm" wrap="nowrap" align="flex-start" data-testid="pseudonymised-note">
      <ThemeIcon variant="light" color="grape" size="sm" radius="sm">
        <IconShieldLock size={14} />
      </ThemeIcon>
      <Text size="sm" lh={1.4}>
        <Text span fw={600} c="grape.8" size="sm">
          {t('privacy.pseudonymised')}
        </Text>
        <Text span c="dimmed" size="xs" visibleFrom="sm">
          {' · '}
          {t('privacy.pseudonymisedHint')}
        </Text>
      </Text>
    </Group>
  );
}
