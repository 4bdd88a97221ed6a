/** @module "Outbox": every e-mail and SMS with its status, a preview, "send again", delivery settings and the stop list. */
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconEye, IconInfoCircle, IconRefresh, IconTrash } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/types';
import { formatCount, formatInstant } from '../format';
import { ProblemAlert } from '../problem-alert';
import {
  type Channel,
  type DeliverySettings,
  type MessageStatus,
  type OutboxMessage,
  RETRYABLE,
  type SettingsInput,
  STATUSES,
  useAddSuppression,
  useDeliverySettings,
  useOutbox,
  useOutboxMessage,
  useRemoveSuppression,
  useRetry,
  useSaveSettings,
  useSuppressions,
} from './api';

const STATUS_COLOR: Record<MessageStatus, string> = {
  queued: 'blue',
  sending: 'cyan',
  sent: 'green',
  held: 'yellow',
  failed: 'red',
  suppressed: 'gray',
  bounced: 'orange',
  uncertain: 'grape',
};

function StatusChip({ status }: { status: MessageStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" tt="none" style={{ flexShrink: 0, maxWidth: 'none' }}>
      {t(`outbox.st_${status}`)}
    </Badge>
  );
}

// The server's reasons are English sentences for logs and the API; the known ones are shown in the reader's language.
const KNOWN_ERRORS: [RegExp, string][] = [
  [/^No SMTP server/, 'outbox.err_noSmtp'],
  [/^No SMS gateway/, 'outbox.err_noSms'],
  [/^No e-mail address/, 'outbox.err_noEmail'],
  [/^No phone number/, 'outbox.err_noPhone'],
  [/^The e-mail address is not valid/, 'outbox.err_badEmail'],
  [/^The phone number is not valid/, 'outbox.err_badPhone'],
  [/^The customer asked not to be surveyed/, 'outbox.err_optedOut'],
  [/^The address is suppressed/, 'outbox.err_suppressed'],
  [/^The worker stopped while sending/, 'outbox.err_uncertain'],
];
/** Messages that were never rendered (no or bad address, opted out): sending them again cannot help. */
const NOT_RETRYABLE =
  /^(No e-mail address|No phone number|The e-mail address is not valid|The phone number is not valid|The customer asked not to be surveyed)/;

function useErrorText() {
  const { t } = useTranslation();
  return (error: string | null) => {
    if (!error) return null;
    const known = KNOWN_ERRORS.find(([pattern]) => pattern.test(error));
    return known ? t(known[1]) : error;
  };
}

function Preview({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const message = useOutboxMessage(id);
  const errorText = useErrorText();
  const m = message.data;
  return (
    <Modal opened={id !== null} onClose={onClose} size="xl" title={m?.subject ?? t('outbox.preview')}>
      {message.isPending && <Skeleton h={400} />}
      {message.isError && <ProblemAlert error={message.error} />}
      {m && (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('outbox.to')}: {m.to}
            {m.smsParts ? ` · ${t('outbox.smsParts', { count: m.smsParts })}` : ''}
          </Text>
          {m.bodyHtml ? (
            // The rendered e-mail in a sandbox: no scripts, no same-origin access, links open outside.
            <iframe
              title={t('outbox.preview')}
              sandbox="allow-popups allow-popups-to-escape-sandbox"
              srcDoc={m.bodyHtml}
              style={{
                width: '100%',
                height: 520,
                border: '1px solid var(--mantine-color-gray-3)',
                borderRadius: 4,
              }}
            />
          ) : (
            <Paper withBorder p="md">
              {m.bodyText ? (
                <Text style={{ whiteSpace: 'pre-wrap' }}>{m.bodyText}</Text>
              ) : (
                // Analysts get no content (it greets the customer by name and holds their link).
                <Text c="dimmed">{t('privacy.contentHidden')}</Text>
              )}
            </Paper>
          )}
          {m.lastError && (
            <Alert color="red" variant="light" title={t('outbox.lastError')}>
              {errorText(m.lastError)}
            </Alert>
          )}
        </Stack>
      )}
    </Modal>
  );
}

function Messages({
  user,
  canWrite,
  settings,
}: {
  user: User;
  canWrite: boolean;
  settings?: DeliverySettings;
}) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<MessageStatus | null>(null);
  const [channel, setChannel] = useState<Channel | null>(null);
  const [previewId, setPreviewId] = useState<string | null>(null);
  const outbox = useOutbox({ status, channel });
  const retry = useRetry();
  const errorText = useErrorText();
  const counts = outbox.data?.pages[0]?.counts ?? {};
  const items: OutboxMessage[] = outbox.data?.pages.flatMap((p) => p.items) ?? [];
  const when = (iso: string) => formatInstant(user.locale, iso, user.timeZone);

  return (
    <Stack gap="md">
      {settings && !settings.smtpConfigured && (counts.held ?? 0) > 0 && (
        <Alert color="yellow" variant="light" icon={<IconInfoCircle />} title={t('outbox.heldTitle')}>
          {t('outbox.heldBody', { count: counts.held ?? 0 })}
        </Alert>
      )}
      <Group gap="sm" align="end">
        <Select
          label={t('outbox.filterStatus')}
          placeholder={t('outbox.all')}
          clearable
          value={status}
          onChange={(v) => setStatus(v as MessageStatus | null)}
          data={STATUSES.map((s) => ({
            value: s,
            label: `${t(`outbox.st_${s}`)} (${formatCount(user.locale, counts[s] ?? 0)})`,
          }))}
          w={240}
        />
        <SegmentedControl
          aria-label={t('outbox.filterChannel')}
          value={channel ?? 'all'}
          onChange={(v) => setChannel(v === 'all' ? null : (v as Channel))}
          data={[
            { value: 'all', label: t('outbox.all') },
            { value: 'email', label: t('outbox.email') },
            { value: 'sms', label: 'SMS' },
          ]}
        />
      </Group>
      {outbox.isError && <ProblemAlert error={outbox.error} onRetry={() => outbox.refetch()} />}
      {retry.isError && <ProblemAlert error={retry.error} />}
      {outbox.isPending ? (
        <Skeleton h={240} />
      ) : items.length === 0 ? (
        <Text c="dimmed">{t('outbox.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('outbox.created')}</Table.Th>
                <Table.Th>{t('outbox.channel')}</Table.Th>
                <Table.Th>{t('outbox.to')}</Table.Th>
                <Table.Th>{t('outbox.subject')}</Table.Th>
                <Table.Th>{t('outbox.statusColumn')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    <Text size="sm">{when(m.createdAt)}</Text>
                    {m.status === 'queued' && (
                      <Text size="xs" c="dimmed">
                        {t('outbox.sendAfter', { when: when(m.sendAfter) })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {m.channel === 'email' ? t('outbox.email') : 'SMS'}
                    {m.kind === 'reminder' ? ` · ${t('outbox.reminder')}` : ''}
                  </Table.Td>
                  <Table.Td>{m.to}</Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={1}>
                      {m.subject ?? '—'}
                    </Text>
                    {m.lastError && m.status !== 'held' && (
                      <Text size="xs" c="red.8" lineClamp={2}>
                        {errorText(m.lastError)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <StatusChip status={m.status} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button
                        size="xs"
                        variant="subtle"
                        leftSection={<IconEye size={16} />}
                        onClick={() => setPreviewId(m.id)}
                        disabled={!m.subject && m.channel === 'email'}
                      >
                        {t('outbox.view')}
                      </Button>
                      {canWrite && RETRYABLE.includes(m.status) && !NOT_RETRYABLE.test(m.lastError ?? '') && (
                        <Button
                          size="xs"
                          variant="light"
                          leftSection={<IconRefresh size={16} />}
                          loading={retry.isPending && retry.variables === m.id}
                          onClick={() => retry.mutate(m.id)}
                        >
                          {m.status === 'uncertain' ? t('outbox.sendAgain') : t('outbox.retry')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {outbox.hasNextPage && (
        <Button variant="default" onClick={() => outbox.fetchNextPage()} loading={outbox.isFetchingNextPage}>
          {t('outbox.more')}
        </Button>
      )}
      <Text size="xs" c="dimmed">
        {t('outbox.uncertainHint')}
      </Text>
      <Preview id={previewId} onClose={() => setPreviewId(null)} />
    </Stack>
  );
}

function SettingsForm({ settings }: { settings: DeliverySettings }) {
  const { t } = useTranslation();
  const save = useSaveSettings();
  const [quietStart, setQuietStart] = useState(settings.quietHours.start);
  const [quietEnd, setQuietEnd] = useState(settings.quietHours.end);
  const [from, setFrom] = useState(settings.email.from);
  const [replyTo, setReplyTo] = useState(settings.email.replyTo);
  const [provider, setProvider] = useState(settings.sms.provider);
  const [sender, setSender] = useState(settings.sms.sender);
  const [url, setUrl] = useState(settings.sms.url);
  const [method, setMethod] = useState(settings.sms.method);
  const [bodyTemplate, setBodyTemplate] = useState(settings.sms.bodyTemplate);
  const [headers, setHeaders] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsedHeaders = Object.fromEntries(
      headers
        .split('\n')
        .map((line) => line.split(/:(.*)/s).map((part) => part.trim()))
        .filter(([name, value]) => name && value),
    ) as Record<string, string>;
    const body: SettingsInput = {
      quietHours: { start: quietStart, end: quietEnd },
      email: { from, replyTo },
      sms:
        provider === 'none'
          ? { provider }
          : provider === 'test'
            ? { provider, sender }
            : {
                provider,
                sender,
                url,
                method,
                bodyTemplate,
                ...(headers.trim() ? { headers: parsedHeaders } : {}),
              },
    };
    save.mutate(body, { onSuccess: () => setHeaders('') });
  }

  return (
    <form onSubmit={submit}>
      <Stack gap="lg" maw={720}>
        <Paper withBorder p="md">
          <Stack gap="sm">
            <Title order={3} size="h4">
              {t('outbox.quietHours')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('outbox.quietHoursHint', { zone: settings.timeZone })}
            </Text>
            <Group>
              <TextInput
                type="time"
                label={t('outbox.quietFrom')}
                value={quietStart}
                onChange={(e) => setQuietStart(e.currentTarget.value)}
              />
              <TextInput
                type="time"
                label={t('outbox.quietTo')}
                value={quietEnd}
                onChange={(e) => setQuietEnd(e.currentTarget.value)}
              />
            </Group>
          </Stack>
        </Paper>
        <Paper withBorder p="md">
          <Stack gap="sm">
            <Title order={3} size="h4">
              {t('outbox.emailSettings')}
            </Title>
            <Text size="sm" c={settings.smtpConfigured ? 'green.8' : 'orange.8'}>
              {settings.smtpConfigured ? t('outbox.smtpOn') : t('outbox.smtpOff')}
            </Text>
            <TextInput
              type="email"
              label={t('outbox.from')}
              placeholder="nps@example.ru"
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
            />
            <TextInput
              type="email"
              label={t('outbox.replyTo')}
              value={replyTo}
              onChange={(e) => setReplyTo(e.currentTarget.value)}
            />
          </Stack>
        </Paper>
        <Paper withBorder p="md">
          <Stack gap="sm">
            <Title order={3} size="h4">
              {t('outbox.smsSettings')}
            </Title>
            <SegmentedControl
              aria-label={t('outbox.smsProvider')}
              value={provider}
              onChange={(v) => setProvider(v as typeof provider)}
              data={[
                { value: 'none', label: t('outbox.smsNone') },
                { value: 'test', label: t('outbox.smsTest') },
                { value: 'http', label: t('outbox.smsHttp') },
              ]}
            />
            {provider !== 'none' && (
              <TextInput
                label={t('outbox.sender')}
                description={t('outbox.senderHint')}
                maxLength={11}
                value={sender}
                onChange={(e) => setSender(e.currentTarget.value)}
              />
            )}
            {provider === 'http' && (
              <>
                <TextInput
                  label={t('outbox.gatewayUrl')}
                  description={t('outbox.placeholders')}
                  placeholder="https://gate.example/send?to={to}&text={text}"
                  value={url}
                  onChange={(e) => setUrl(e.currentTarget.value)}
                  required
                />
                <SegmentedControl
                  aria-label={t('outbox.method')}
                  value={method}
                  onChange={(v) => setMethod(v as 'GET' | 'POST')}
                  data={['POST', 'GET']}
                  w={160}
                />
                {method === 'POST' && (
                  <Textarea
                    label={t('outbox.bodyTemplate')}
                    placeholder='{"to":"{to}","text":"{text}"}'
                    autosize
                    minRows={2}
                    value={bodyTemplate}
                    onChange={(e) => setBodyTemplate(e.currentTarget.value)}
                  />
                )}
                <Textarea
                  label={t('outbox.headers')}
                  description={
                    settings.sms.headerNames.length
                      ? t('outbox.headersKept', { names: settings.sms.headerNames.join(', ') })
                      : t('outbox.headersHint')
                  }
                  placeholder="Authorization: Bearer …"
                  autosize
                  minRows={2}
                  value={headers}
                  onChange={(e) => setHeaders(e.currentTarget.value)}
                />
              </>
            )}
          </Stack>
        </Paper>
        {save.isError && <ProblemAlert error={save.error} title={t('outbox.saveFailed')} />}
        {save.isSuccess && (
          <Text c="green.8" role="status">
            {t('outbox.saved')}
          </Text>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('outbox.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function StopList({ user }: { user: User }) {
  const { t } = useTranslation();
  const list = useSuppressions(true);
  const add = useAddSuppression();
  const remove = useRemoveSuppression();
  const [channel, setChannel] = useState<Channel>('email');
  const [address, setAddress] = useState('');
  return (
    <Stack gap="md" maw={820}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate({ channel, address }, { onSuccess: () => setAddress('') });
        }}
      >
        <Group align="end">
          <SegmentedControl
            aria-label={t('outbox.channel')}
            value={channel}
            onChange={(v) => setChannel(v as Channel)}
            data={[
              { value: 'email', label: t('outbox.email') },
              { value: 'sms', label: 'SMS' },
            ]}
          />
          <TextInput
            label={t('outbox.address')}
            value={address}
            onChange={(e) => setAddress(e.currentTarget.value)}
            required
            w={280}
          />
          <Button type="submit" loading={add.isPending}>
            {t('outbox.addSuppression')}
          </Button>
        </Group>
      </form>
      {add.isError && <ProblemAlert error={add.error} />}
      {list.isError && <ProblemAlert error={list.error} />}
      {list.isPending ? (
        <Skeleton h={160} />
      ) : (list.data?.items.length ?? 0) === 0 ? (
        <Text c="dimmed">{t('outbox.noSuppressions')}</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('outbox.created')}</Table.Th>
              <Table.Th>{t('outbox.channel')}</Table.Th>
              <Table.Th>{t('outbox.reason')}</Table.Th>
              <Table.Th>{t('outbox.detail')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.items.map((s) => (
              <Table.Tr key={`${s.channel}:${s.id}`}>
                <Table.Td>{formatInstant(user.locale, s.createdAt, user.timeZone)}</Table.Td>
                <Table.Td>{s.channel === 'email' ? t('outbox.email') : 'SMS'}</Table.Td>
                <Table.Td>{t(`outbox.rs_${s.reason}`)}</Table.Td>
                <Table.Td>{s.detail ?? '—'}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    leftSection={<IconTrash size={16} />}
                    onClick={() => remove.mutate(s)}
                  >
                    {t('outbox.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

export function OutboxPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const canWrite = user.role === 'owner' || user.role === 'admin';
  const settings = useDeliverySettings(canWrite);
  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          {t('outbox.title')}
        </Title>
        <Text c="dimmed">{t('outbox.subtitle')}</Text>
      </div>
      <Tabs defaultValue="messages" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="messages">{t('outbox.tabMessages')}</Tabs.Tab>
          {canWrite && <Tabs.Tab value="settings">{t('outbox.tabSettings')}</Tabs.Tab>}
          {canWrite && <Tabs.Tab value="stop">{t('outbox.tabStopList')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="messages">
          <Messages user={user} canWrite={canWrite} settings={settings.data} />
        </Tabs.Panel>
        {canWrite && (
          <Tabs.Panel value="settings">
            {settings.isError && <ProblemAlert error={settings.error} />}
            {settings.data ? <SettingsForm settings={settings.data} /> : <Skeleton h={300} />}
          </Tabs.Panel>
        )}
        {canWrite && (
          <Tabs.Panel value="stop">
            <StopList user={user} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
