/** @module "Notifications": what the loop told you (read, open the case) and what you want to hear, and when. */
import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCheck, IconChecks } from '@tabler/icons-react';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, User } from '../api/types';
import { formatInstant } from '../format';
import { ProblemAlert } from '../problem-alert';
import { navigate } from '../router';
import {
  ALERT_KINDS,
  type AlertKind,
  EMAIL_BY_DEFAULT,
  type Notification,
  type Prefs,
  useDigestPreview,
  useMarkAllRead,
  useMarkRead,
  useNotifications,
  usePrefs,
  useSavePrefs,
} from './api';

export function NotificationsPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<string | null>('list');
  useEffect(() => {
    document.title = `${t('alerts.title')} — ${t('app.name')}`;
  }, [t]);
  return (
    <Stack gap="md" maw={960}>
      <Title order={1} size="h3">
        {t('alerts.title')}
      </Title>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="list">{t('alerts.tabList')}</Tabs.Tab>
          <Tabs.Tab value="prefs">{t('alerts.tabPrefs')}</Tabs.Tab>
          <Tabs.Tab value="digest">{t('alerts.tabDigest')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="list" pt="md">
          <NotificationList user={user} />
        </Tabs.Panel>
        <Tabs.Panel value="prefs" pt="md">
          <PrefsForm />
        </Tabs.Panel>
        <Tabs.Panel value="digest" pt="md">
          <DigestPreview user={user} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function NotificationList({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useNotifications(unreadOnly, locale);
  const read = useMarkRead();
  const readAll = useMarkAllRead();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = list.data?.pages[0]?.unread ?? 0;

  function open(n: Notification) {
    if (!n.readAt) read.mutate(n.id);
    if (n.caseId) navigate(`/cases/${n.caseId}`);
  }

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <SegmentedControl
          size="xs"
          value={unreadOnly ? 'unread' : 'all'}
          onChange={(v) => setUnreadOnly(v === 'unread')}
          data={[
            { value: 'all', label: t('alerts.all') },
            { value: 'unread', label: t('alerts.unreadOnly', { count: unread }) },
          ]}
        />
        <Button
          size="xs"
          variant="light"
          leftSection={<IconChecks size={16} />}
          disabled={unread === 0}
          loading={readAll.isPending}
          onClick={() => readAll.mutate()}
        >
          {t('alerts.readAll')}
        </Button>
      </Group>
      {list.isError && <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && <Skeleton h={120} />}
      {list.data && items.length === 0 && (
        <Text c="dimmed" size="sm">
          {unreadOnly ? t('alerts.noneUnread') : t('alerts.none')}
        </Text>
      )}
      {items.map((n) => (
        <Paper key={n.id} withBorder p="sm" radius="md" bg={n.readAt ? undefined : 'teal.0'}>
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={2} miw={0}>
              <Group gap="xs">
                <Badge size="sm" variant="light" color={n.kind === 'case.urgent' ? 'red' : 'gray'}>
                  {t(`alertKind.${kindKey(n.kind)}`, { defaultValue: n.kind })}
                </Badge>
                <Text size="xs" c="dimmed">
                  {formatInstant(locale, n.createdAt, user.timeZone)}
                </Text>
              </Group>
              {n.caseId ? (
                <Anchor
                  href={`/cases/${n.caseId}`}
                  fw={n.readAt ? 400 : 600}
                  onClick={(e) => {
                    e.preventDefault();
                    open(n);
                  }}
                >
                  {n.title}
                </Anchor>
              ) : (
                <Text fw={n.readAt ? 400 : 600}>{n.title}</Text>
              )}
              {n.reason && (
                <Text size="sm" c="dimmed" lineClamp={2}>
                  «{n.reason}»
                </Text>
              )}
            </Stack>
            {!n.readAt && (
              <Button
                size="compact-xs"
                variant="subtle"
                leftSection={<IconCheck size={14} />}
                onClick={() => read.mutate(n.id)}
              >
                {t('alerts.markRead')}
              </Button>
            )}
          </Group>
        </Paper>
      ))}
      {list.hasNextPage && (
        <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('alerts.more')}
        </Button>
      )}
    </Stack>
  );
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** 'case.opened' → 'caseOpened', the key of its name in the texts. */
export const kindKey = (kind: string) => kind.replace(/\.(\w)/, (_, c: string) => c.toUpperCase());

function PrefsForm() {
  const { t } = useTranslation();
  const prefs = usePrefs();
  const save = useSavePrefs();
  const [draft, setDraft] = useState<Prefs | null>(null);
  useEffect(() => {
    if (prefs.data) setDraft(prefs.data);
  }, [prefs.data]);
  if (prefs.isError) return <ProblemAlert error={prefs.error} onRetry={() => void prefs.refetch()} />;
  if (!draft) return <Skeleton h={240} />;

  const channel = (kind: AlertKind, which: 'email' | 'dashboard') =>
    draft.events[kind]?.[which] ?? (which === 'dashboard' || EMAIL_BY_DEFAULT.includes(kind));
  const setChannel = (kind: AlertKind, which: 'email' | 'dashboard', value: boolean) =>
    setDraft({ ...draft, events: { ...draft.events, [kind]: { ...draft.events[kind], [which]: value } } });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!draft) return;
    save.mutate({ muted: draft.muted, events: draft.events, digest: draft.digest });
  }

  return (
    <form onSubmit={submit}>
      <Stack gap="md" maw={720}>
        <Switch
          checked={draft.muted}
          onChange={(e) => setDraft({ ...draft, muted: e.currentTarget.checked })}
          label={t('alerts.mute')}
          description={t('alerts.muteHint')}
        />
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('alerts.event')}</Table.Th>
              <Table.Th>{t('alerts.email')}</Table.Th>
              <Table.Th>{t('alerts.dashboard')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ALERT_KINDS.map((kind) => (
              <Table.Tr key={kind}>
                <Table.Td>{t(`alertKind.${kindKey(kind)}`)}</Table.Td>
                <Table.Td>
                  <Checkbox
                    aria-label={`${t(`alertKind.${kindKey(kind)}`)}: ${t('alerts.email')}`}
                    disabled={draft.muted}
                    checked={!draft.muted && channel(kind, 'email')}
                    onChange={(e) => setChannel(kind, 'email', e.currentTarget.checked)}
                  />
                </Table.Td>
                <Table.Td>
                  <Checkbox
                    aria-label={`${t(`alertKind.${kindKey(kind)}`)}: ${t('alerts.dashboard')}`}
                    checked={draft.muted || channel(kind, 'dashboard')}
                    disabled={draft.muted}
                    onChange={(e) => setChannel(kind, 'dashboard', e.currentTarget.checked)}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Title order={2} size="h5">
          {t('alerts.digests')}
        </Title>
        <Group gap="lg">
          <Switch
            checked={draft.digest.daily}
            disabled={draft.muted}
            onChange={(e) =>
              setDraft({ ...draft, digest: { ...draft.digest, daily: e.currentTarget.checked } })
            }
            label={t('alerts.daily')}
          />
          <Switch
            checked={draft.digest.weekly}
            disabled={draft.muted}
            onChange={(e) =>
              setDraft({ ...draft, digest: { ...draft.digest, weekly: e.currentTarget.checked } })
            }
            label={t('alerts.weekly')}
          />
        </Group>
        <Group gap="md" align="flex-end">
          <TextInput
            type="time"
            label={t('alerts.at')}
            value={draft.digest.at}
            onChange={(e) => setDraft({ ...draft, digest: { ...draft.digest, at: e.currentTarget.value } })}
            w={130}
          />
          <Select
            label={t('alerts.weekday')}
            value={String(draft.digest.weekday)}
            onChange={(v) => v && setDraft({ ...draft, digest: { ...draft.digest, weekday: Number(v) } })}
            data={WEEKDAYS.map((d) => ({ value: String(d), label: t(`alertWeekday.d${d}`) }))}
            w={170}
            allowDeselect={false}
          />
          <TextInput
            label={t('alerts.timeZone')}
            description={t('alerts.timeZoneHint', { zone: draft.defaults.timeZone })}
            value={draft.digest.timeZone}
            onChange={(e) =>
              setDraft({ ...draft, digest: { ...draft.digest, timeZone: e.currentTarget.value } })
            }
            w={260}
          />
        </Group>
        {save.isError && <ProblemAlert error={save.error} />}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('alerts.save')}
          </Button>
          {save.isSuccess && !save.isPending && (
            <Text size="sm" c="teal">
              {t('alerts.saved')}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}

function DigestPreview({ user }: { user: User }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'daily' | 'weekly'>(
    user.role === 'owner' || user.role === 'admin' ? 'weekly' : 'daily',
  );
  const preview = useDigestPreview(kind, true);
  return (
    <Stack gap="sm">
      <SegmentedControl
        w="fit-content"
        value={kind}
        onChange={(v) => setKind(v as 'daily' | 'weekly')}
        data={[
          { value: 'daily', label: t('alerts.daily') },
          { value: 'weekly', label: t('alerts.weekly') },
        ]}
      />
      <Text size="sm" c="dimmed">
        {t('alerts.previewHint')}
      </Text>
      {preview.isError && <ProblemAlert error={preview.error} onRetry={() => void preview.refetch()} />}
      {preview.isPending && <Skeleton h={400} />}
      {preview.data && (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <iframe
            title={t('alerts.tabDigest')}
            srcDoc={preview.data}
            sandbox=""
            style={{ width: '100%', height: 640, border: 0, background: 'white' }}
          />
        </Paper>
      )}
    </Stack>
  );
}
