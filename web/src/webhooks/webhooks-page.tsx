/** @module "Webhooks": endpoints that receive signed loop events, created with a secret shown once, and their delivery log. */
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPlus, IconRefresh, IconSend, IconTrash } from '@tabler/icons-react';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, User } from '../api/types';
import { formatInstant } from '../format';
import { ProblemAlert } from '../problem-alert';
import {
  type DeliveryItem,
  type Endpoint,
  useCreateEndpoint,
  useDeleteEndpoint,
  useDeliveries,
  useEndpoints,
  useRedeliver,
  useSendTest,
  useUpdateEndpoint,
  WEBHOOK_KINDS,
} from './api';

const statusColor: Record<DeliveryItem['status'], string> = {
  pending: 'gray',
  delivered: 'teal',
  retrying: 'yellow',
  failed: 'red',
};

export function WebhooksPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const endpoints = useEndpoints();
  const [creating, setCreating] = useState(false);
  const [logOf, setLogOf] = useState<Endpoint | null>(null);
  const update = useUpdateEndpoint();
  const remove = useDeleteEndpoint();
  const test = useSendTest();
  useEffect(() => {
    document.title = `${t('webhooks.title')} — ${t('app.name')}`;
  }, [t]);

  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between">
        <Stack gap={2}>
          <Title order={1} size="h3">
            {t('webhooks.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('webhooks.subtitle')}
          </Text>
        </Stack>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          {t('webhooks.add')}
        </Button>
      </Group>
      {endpoints.isError && <ProblemAlert error={endpoints.error} onRetry={() => void endpoints.refetch()} />}
      {endpoints.isPending && <Skeleton h={120} />}
      {endpoints.data?.length === 0 && <Text c="dimmed">{t('webhooks.none')}</Text>}
      {test.isError && <ProblemAlert error={test.error} />}
      {test.data && (
        <Alert
          color={test.data.status === 'delivered' ? 'teal' : 'red'}
          withCloseButton
          onClose={() => test.reset()}
        >
          {test.data.status === 'delivered'
            ? t('webhooks.testOk', { code: test.data.lastStatusCode, ms: test.data.lastDurationMs })
            : t('webhooks.testFailed', { error: test.data.lastError ?? '' })}
        </Alert>
      )}
      {endpoints.data?.map((e) => (
        <Paper key={e.id} withBorder p="md" radius="md">
          <Stack gap="xs">
            <Group justify="space-between" wrap="nowrap">
              <Stack gap={2} miw={0}>
                <Text fw={600} truncate="end">
                  {e.url}
                </Text>
                {e.description && (
                  <Text size="sm" c="dimmed">
                    {e.description}
                  </Text>
                )}
              </Stack>
              <Switch
                checked={e.enabled}
                label={e.enabled ? t('webhooks.on') : t('webhooks.off')}
                onChange={(ev) => update.mutate({ id: e.id, enabled: ev.currentTarget.checked })}
              />
            </Group>
            <Group gap={4}>
              {(e.events.length ? e.events : [t('webhooks.allEvents')]).map((k) => (
                <Badge key={k} variant="light" size="sm">
                  {k}
                </Badge>
              ))}
              {e.allowPrivate && (
                <Badge color="orange" variant="light" size="sm">
                  {t('webhooks.private')}
                </Badge>
              )}
            </Group>
            {e.disabledReason && !e.enabled && (
              <Text size="sm" c="red">
                {e.disabledReason}
              </Text>
            )}
            <Group gap="xs">
              <Button size="xs" variant="light" onClick={() => setLogOf(e)}>
                {t('webhooks.log')}
              </Button>
              <Button
                size="xs"
                variant="default"
                leftSection={<IconSend size={14} />}
                loading={test.isPending && test.variables === e.id}
                onClick={() => test.mutate(e.id)}
              >
                {t('webhooks.test')}
              </Button>
              <Button
                size="xs"
                variant="subtle"
                color="red"
                leftSection={<IconTrash size={14} />}
                onClick={() => {
                  if (window.confirm(t('webhooks.confirmDelete'))) remove.mutate(e.id);
                }}
              >
                {t('webhooks.delete')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      ))}
      <CreateModal opened={creating} onClose={() => setCreating(false)} />
      <Modal opened={logOf !== null} onClose={() => setLogOf(null)} title={logOf?.url} size="xl">
        {logOf && <DeliveryLog endpoint={logOf} user={user} />}
      </Modal>
    </Stack>
  );
}

function CreateModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateEndpoint();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [allowPrivate, setAllowPrivate] = useState(false);

  function close() {
    create.reset();
    setUrl('');
    setDescription('');
    setEvents([]);
    setAllowPrivate(false);
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ url, description: description || undefined, events, allowPrivate });
  }

  return (
    <Modal opened={opened} onClose={close} title={t('webhooks.add')} size="lg">
      {create.data ? (
        <Stack gap="sm">
          <Alert color="teal" title={t('webhooks.created')}>
            {t('webhooks.secretOnce')}
          </Alert>
          <Group gap="xs" wrap="nowrap">
            <Code block style={{ flex: 1, wordBreak: 'break-all' }}>
              {create.data.secret}
            </Code>
            <CopyButton value={create.data.secret}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" onClick={copy}>
                  {copied ? t('webhooks.copied') : t('webhooks.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Text size="sm" c="dimmed">
            {t('webhooks.verifyHint')}
          </Text>
          <Button onClick={close}>{t('webhooks.done')}</Button>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack gap="sm">
            <TextInput
              label={t('webhooks.url')}
              placeholder="https://example.com/hooks/sarafan"
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              required
            />
            <TextInput
              label={t('webhooks.description')}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
            <MultiSelect
              label={t('webhooks.events')}
              description={t('webhooks.eventsHint')}
              data={[...WEBHOOK_KINDS]}
              value={events}
              onChange={setEvents}
              clearable
            />
            <Checkbox
              checked={allowPrivate}
              onChange={(e) => setAllowPrivate(e.currentTarget.checked)}
              label={t('webhooks.allowPrivate')}
              description={t('webhooks.allowPrivateHint')}
            />
            {create.isError && <ProblemAlert error={create.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('webhooks.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('webhooks.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function DeliveryLog({ endpoint, user }: { endpoint: Endpoint; user: User }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const log = useDeliveries(endpoint.id);
  const redeliver = useRedeliver();
  if (log.isError) return <ProblemAlert error={log.error} onRetry={() => void log.refetch()} />;
  if (log.isPending) return <Skeleton h={200} />;
  if (log.data.length === 0) return <Text c="dimmed">{t('webhooks.noDeliveries')}</Text>;
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('webhookCol.time')}</Table.Th>
            <Table.Th>{t('webhookCol.event')}</Table.Th>
            <Table.Th>{t('webhookCol.status')}</Table.Th>
            <Table.Th>{t('webhookCol.attempts')}</Table.Th>
            <Table.Th>{t('webhookCol.answer')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {log.data.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>{formatInstant(locale, d.createdAt, user.timeZone)}</Table.Td>
              <Table.Td>
                <Code>{d.eventKind}</Code>
              </Table.Td>
              <Table.Td>
                <Badge color={statusColor[d.status]} variant="light">
                  {t(`webhookStatus.${d.status}`)}
                </Badge>
                {d.nextAttemptAt && (
                  <Text size="xs" c="dimmed">
                    {t('webhooks.next', { at: formatInstant(locale, d.nextAttemptAt, user.timeZone) })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{d.attempts}</Table.Td>
              <Table.Td>
                <Text size="sm">
                  {d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : '—'}
                  {d.lastDurationMs !== null ? ` · ${d.lastDurationMs} ms` : ''}
                </Text>
                {d.lastError && (
                  <Text size="xs" c="red" lineClamp={2}>
                    {d.lastError}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {(d.status === 'delivered' || d.status === 'failed') && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    leftSection={<IconRefresh size={14} />}
                    loading={redeliver.isPending && redeliver.variables === d.id}
                    onClick={() => redeliver.mutate(d.id)}
                  >
                    {t('webhooks.redeliver')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
