/** @module "Security": two-step verification, your sessions and password for everyone; API keys for owners and admins. */
import { Alert, Badge, Button, Group, Paper, PasswordInput, Stack, Table, Text, Title } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/types';
import { formatInstant } from '../format';
import { ProblemAlert } from '../problem-alert';
import { useChangePassword, useEndSession, useLogoutEverywhere, useSessions } from './api';
import { ApiKeysCard } from './api-keys';
import { TwoStepCard } from './two-step';

function SessionsCard({ user }: { user: User }) {
  const { t } = useTranslation();
  const sessions = useSessions();
  const end = useEndSession();
  const everywhere = useLogoutEverywhere();
  const at = (iso: string) => formatInstant(user.locale, iso, user.timeZone);
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('securitySessions.title')}
          </Title>
          <Button
            color="red"
            variant="light"
            loading={everywhere.isPending}
            onClick={() => everywhere.mutate()}
          >
            {t('securitySessions.endAll')}
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          {t('securitySessions.intro')}
        </Text>
        {sessions.isError && <ProblemAlert error={sessions.error} onRetry={() => void sessions.refetch()} />}
        {end.isError && <ProblemAlert error={end.error} />}
        {sessions.data && (
          <Table.ScrollContainer minWidth={560}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('securitySessions.started')}</Table.Th>
                  <Table.Th>{t('securitySessions.lastSeen')}</Table.Th>
                  <Table.Th>{t('securitySessions.ends')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sessions.data.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>{at(s.createdAt)}</Table.Td>
                    <Table.Td>{at(s.lastSeenAt)}</Table.Td>
                    <Table.Td>{at(s.expiresAt)}</Table.Td>
                    <Table.Td>
                      {s.current ? (
                        <Badge variant="light">{t('securitySessions.current')}</Badge>
                      ) : (
                        <Button size="xs" variant="subtle" color="red" onClick={() => end.mutate(s.id)}>
                          {t('securitySessions.end')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}

function PasswordCard() {
  const { t } = useTranslation();
  const change = useChangePassword();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNext] = useState('');
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
        },
      },
    );
  }
  return (
    <Paper withBorder p="md" radius="md">
      <form onSubmit={submit}>
        <Stack gap="sm" maw={420}>
          <Title order={2} size="h4">
            {t('securityPassword.title')}
          </Title>
          <PasswordInput
            label={t('securityPassword.current')}
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(e) => setCurrent(e.currentTarget.value)}
          />
          <PasswordInput
            label={t('securityPassword.next')}
            autoComplete="new-password"
            required
            minLength={10}
            value={newPassword}
            onChange={(e) => setNext(e.currentTarget.value)}
          />
          {change.isError && <ProblemAlert error={change.error} />}
          {change.data && (
            <Alert color="teal">{t('securityPassword.changed', { count: change.data.sessionsEnded })}</Alert>
          )}
          <Button type="submit" w="fit-content" loading={change.isPending}>
            {t('securityPassword.change')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

export function SecurityPage({ user }: { user: User }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('security.title')} — ${t('app.name')}`;
  }, [t]);
  const admin = user.role === 'owner' || user.role === 'admin';
  return (
    <Stack gap="md" maw={1100}>
      <Stack gap={2}>
        <Title order={1} size="h3">
          {t('security.title')}
        </Title>
        <Text c="dimmed" size="sm">
          {t('security.subtitle')}
        </Text>
      </Stack>
      <TwoStepCard user={user} />
      <SessionsCard user={user} />
      <PasswordCard />
      {admin && <ApiKeysCard user={user} />}
    </Stack>
  );
}
