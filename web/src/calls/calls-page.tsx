/** @module "Phone interviews": the operator's console and, for supervisors, the progress per operator. */
import { Stack, Tabs, Text, Title } from '@mantine/core';
import { IconChartBar, IconHeadset } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, User } from '../api/types';
import { CallConsole } from './call-console';
import { Supervision } from './supervision';

/** Who may take calls (analysts only watch); everyone who opens the page sees the progress tab. */
export const OPERATOR_ROLES: readonly Role[] = ['owner', 'admin', 'manager', 'frontline'];

export function CallsPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const operates = OPERATOR_ROLES.includes(user.role);
  useEffect(() => {
    document.title = `${t('calls.title')} — ${t('app.name')}`;
  }, [t]);
  return (
    <Stack gap="md" maw={1200}>
      <Stack gap={2}>
        <Title order={1} size="h2">
          {t('calls.title')}
        </Title>
        <Text c="dimmed" size="sm">
          {t('calls.subtitle')}
        </Text>
      </Stack>
      <Tabs defaultValue={operates ? 'console' : 'progress'} keepMounted>
        <Tabs.List>
          {operates && (
            <Tabs.Tab value="console" leftSection={<IconHeadset size={16} />}>
              {t('calls.tabConsole')}
            </Tabs.Tab>
          )}
          <Tabs.Tab value="progress" leftSection={<IconChartBar size={16} />}>
            {user.role === 'frontline' ? t('calls.tabMine') : t('calls.tabProgress')}
          </Tabs.Tab>
        </Tabs.List>
        {operates && (
          <Tabs.Panel value="console" pt="md">
            <CallConsole user={user} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="progress" pt="md">
          <Supervision user={user} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
