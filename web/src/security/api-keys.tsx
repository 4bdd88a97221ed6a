/** @module API keys of the organisation: scopes (read, write, admin, per area), expiry, the key shown once, revoke. */
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/types';
import { formatInstant } from '../format';
import { ProblemAlert } from '../problem-alert';
import { type ApiKey, useApiKeys, useCreateApiKey, useRevokeApiKey } from './api';

const LEVELS = ['read', 'write', 'admin'] as const;
const EXPIRY_DAYS = ['30', '90', '365', '730'];

/** `read` + areas `cases, customers` → `read:cases`, `read:customers`. */
function scopesOf(levels: string[], areas: string): string[] {
  const list = areas
    .split(/[\s,]+/)
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
  return levels.flatMap((level) => (list.length ? list.map((a) => `${level}:${a}`) : [level]));
}

function NewKeyForm({ user }: { user: User }) {
  const { t } = useTranslation();
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [levels, setLevels] = useState<string[]>(['read']);
  const [areas, setAreas] = useState('');
  const [days, setDays] = useState('90');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), scopes: scopesOf(levels, areas), expiresInDays: Number(days) },
      { onSuccess: () => setName('') },
    );
  }

  return (
    <form onSubmit={submit} aria-label={t('securityKeys.add')}>
      <Stack gap="xs">
        <Group align="end" gap="sm">
          <TextInput
            label={t('securityKeys.name')}
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Select
            label={t('securityKeys.expiresIn')}
            data={EXPIRY_DAYS.map((d) => ({ value: d, label: t('securityKeys.days', { count: Number(d) }) }))}
            value={days}
            onChange={(v) => setDays(v ?? '90')}
            allowDeselect={false}
            w={140}
          />
        </Group>
        <Checkbox.Group label={t('securityKeys.scopes')} value={levels} onChange={setLevels}>
          <Group gap="md" mt={4}>
            {LEVELS.map((level) => (
              <Checkbox key={level} value={level} label={`${t(`securityKeys.${level}`)} (${level})`} />
            ))}
          </Group>
        </Checkbox.Group>
        <TextInput
          label={t('securityKeys.areas')}
          description={t('securityKeys.areasHint')}
          value={areas}
          onChange={(e) => setAreas(e.currentTarget.value)}
          maw={420}
        />
        {create.isError && <ProblemAlert error={create.error} />}
        <Button type="submit" w="fit-content" loading={create.isPending} disabled={levels.length === 0}>
          {t('securityKeys.create')}
        </Button>
        {create.data && (
          <Alert
            color="yellow"
            title={t('securityKeys.shownOnce')}
            withCloseButton
            onClose={() => create.reset()}
          >
            <Group gap="xs" wrap="nowrap">
              <Code data-testid="new-api-key" style={{ wordBreak: 'break-all' }}>
                {create.data.key}
              </Code>
              <CopyButton value={create.data.key}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" onClick={copy}>
                    {copied ? t('securityKeys.copied') : t('securityKeys.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Text size="xs" c="dimmed" mt={4}>
              {create.data.scopes.join(', ')} ·{' '}
              {create.data.expiresAt ? formatInstant(user.locale, create.data.expiresAt, user.timeZone) : ''}
            </Text>
          </Alert>
        )}
      </Stack>
    </form>
  );
}

function KeyRow({ k, user }: { k: ApiKey; user: User }) {
  const { t } = useTranslation();
  const revoke = useRevokeApiKey();
  const at = (iso: string | null) => (iso ? formatInstant(user.locale, iso, user.timeZone) : '—');
  return (
    <Table.Tr>
      <Table.Td>{k.name}</Table.Td>
      <Table.Td>
        <Code>{k.prefix}…</Code>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {k.scopes.map((s) => (
            <Badge key={s} size="sm" variant="light" color={s.startsWith('admin') ? 'orange' : 'teal'}>
              {s}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>{at(k.createdAt)}</Table.Td>
      <Table.Td>{at(k.lastUsedAt)}</Table.Td>
      <Table.Td>
        {k.expired ? (
          <Badge color="red" variant="light">
            {t('securityKeys.expired')}
          </Badge>
        ) : k.expiresAt ? (
          at(k.expiresAt)
        ) : (
          t('securityKeys.never')
        )}
      </Table.Td>
      <Table.Td>
        <Button
          size="xs"
          color="red"
          variant="subtle"
          loading={revoke.isPending}
          onClick={() => revoke.mutate(k.id)}
          aria-label={`${t('securityKeys.revoke')} ${k.name}`}
        >
          {t('securityKeys.revoke')}
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}

export function ApiKeysCard({ user }: { user: User }) {
  const { t } = useTranslation();
  const keys = useApiKeys(true);
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('securityKeys.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('securityKeys.intro')}
        </Text>
        {keys.isError && <ProblemAlert error={keys.error} onRetry={() => void keys.refetch()} />}
        {keys.data?.length === 0 && <Text c="dimmed">{t('securityKeys.none')}</Text>}
        {keys.data && keys.data.length > 0 && (
          <Table.ScrollContainer minWidth={760}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('securityKeys.name')}</Table.Th>
                  <Table.Th>{t('securityKeys.prefix')}</Table.Th>
                  <Table.Th>{t('securityKeys.scopes')}</Table.Th>
                  <Table.Th>{t('securityKeys.created')}</Table.Th>
                  <Table.Th>{t('securityKeys.lastUsed')}</Table.Th>
                  <Table.Th>{t('securityKeys.expires')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {keys.data.map((k) => (
                  <KeyRow key={k.id} k={k} user={user} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <NewKeyForm user={user} />
      </Stack>
    </Paper>
  );
}
