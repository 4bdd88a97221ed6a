/** @module "Personal data": access and erasure requests, retention periods (owner, admin) and the access log (owner). */
import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconClipboardList, IconClockHour4, IconUserShield } from '@tabler/icons-react';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/types';
import { formatInstant } from '../format';
import { ProblemAlert } from '../problem-alert';
import {
  type LogFilters,
  type PersonKey,
  type PersonQuery,
  type Retention,
  useAccessLog,
  useErasePerson,
  useExportPerson,
  useRetention,
  useSaveRetention,
} from './api';

function PersonPicker({
  by,
  value,
  onBy,
  onValue,
  name,
}: {
  by: PersonKey;
  value: string;
  onBy: (by: PersonKey) => void;
  onValue: (value: string) => void;
  name: string;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t('privacy.findBy')}
      </Text>
      <SegmentedControl
        value={by}
        onChange={(v) => onBy(v as PersonKey)}
        data={[
          { value: 'email', label: t('privacy.byEmail') },
          { value: 'phone', label: t('privacy.byPhone') },
          { value: 'customerId', label: t('privacy.byCustomerId') },
          { value: 'externalId', label: t('privacy.byExternalId') },
        ]}
      />
      <TextInput
        name={name}
        label={t('privacy.value')}
        value={value}
        onChange={(e) => onValue(e.currentTarget.value)}
        required
        maw={420}
      />
    </Stack>
  );
}

function ExportCard() {
  const { t } = useTranslation();
  const run = useExportPerson();
  const [by, setBy] = useState<PersonKey>('email');
  const [value, setValue] = useState('');
  const [file, setFile] = useState<string | null>(null);
  useEffect(() => () => void (file && URL.revokeObjectURL(file)), [file]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate({ [by]: value.trim() } as PersonQuery, {
      onSuccess: (data) => {
        const url = URL.createObjectURL(
          new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
        );
        setFile(url);
        const a = document.createElement('a');
        a.href = url;
        a.download = `personal-data-${data.customers[0]?.customer.id ?? 'export'}.json`;
        a.click();
      },
    });
  };
  const data = run.data;
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      component="form"
      onSubmit={submit}
      aria-label={t('privacy.exportTitle')}
    >
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('privacy.exportTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('privacy.exportHelp')}
        </Text>
        <PersonPicker by={by} value={value} onBy={setBy} onValue={setValue} name="export-value" />
        {run.isError && <ProblemAlert error={run.error} />}
        {data && (
          <Alert color="green" data-testid="export-done">
            <Stack gap={4}>
              <Text size="sm">
                {t('privacy.exported', {
                  customers: data.customers.length,
                  answers: data.customers.reduce((n, c) => n + c.answers.length, 0),
                  contacts: data.customers.reduce((n, c) => n + c.contacts.length, 0),
                  messages: data.customers.reduce((n, c) => n + c.messages.length, 0),
                })}
              </Text>
              {file && (
                <a href={file} download="personal-data.json">
                  {t('privacy.download')}
                </a>
              )}
            </Stack>
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={run.isPending} disabled={!value.trim()}>
            {t('privacy.exportButton')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function EraseCard() {
  const { t } = useTranslation();
  const run = useErasePerson();
  const [by, setBy] = useState<PersonKey>('email');
  const [value, setValue] = useState('');
  const [sure, setSure] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate({ [by]: value.trim() } as PersonQuery, { onSuccess: () => setSure(false) });
  };
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      component="form"
      onSubmit={submit}
      aria-label={t('privacy.eraseTitle')}
    >
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('privacy.eraseTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('privacy.eraseHelp')}
        </Text>
        <PersonPicker by={by} value={value} onBy={setBy} onValue={setValue} name="erase-value" />
        <Checkbox
          label={t('privacy.eraseConfirm')}
          checked={sure}
          onChange={(e) => setSure(e.currentTarget.checked)}
        />
        {run.isError && <ProblemAlert error={run.error} />}
        {run.data && (
          <Alert color="green" data-testid="erase-done">
            {t('privacy.erased', {
              customers: run.data.erased.length,
              answers: run.data.erased.reduce((n, e) => n + e.answersUnlinked, 0),
            })}
          </Alert>
        )}
        <Group>
          <Button type="submit" color="red" loading={run.isPending} disabled={!sure || !value.trim()}>
            {t('privacy.eraseButton')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

const FIELDS = ['inactiveCustomerMonths', 'reasonMonths', 'messageBodyDays', 'accessLogMonths'] as const;

function RetentionCard() {
  const { t } = useTranslation();
  const current = useRetention();
  const save = useSaveRetention();
  const [draft, setDraft] = useState<Retention | null>(null);
  useEffect(() => {
    if (current.data && !draft) setDraft(current.data);
  }, [current.data, draft]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft) save.mutate(draft);
  };
  return (
    <Paper withBorder p="md" radius="md" component="form" onSubmit={submit}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('privacy.retentionHelp')}
        </Text>
        {current.isError && <ProblemAlert error={current.error} onRetry={() => void current.refetch()} />}
        {draft &&
          FIELDS.map((field) => (
            <NumberInput
              key={field}
              label={t(`privacy.${field}`)}
              placeholder={t('privacy.keep')}
              value={draft[field] ?? ''}
              min={field === 'accessLogMonths' ? 6 : 1}
              allowDecimal={false}
              maw={420}
              onChange={(v) => setDraft({ ...draft, [field]: typeof v === 'number' ? v : null })}
            />
          ))}
        {save.isError && <ProblemAlert error={save.error} />}
        {save.isSuccess && !save.isPending && <Alert color="green">{t('privacy.saved')}</Alert>}
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!draft}>
            {t('privacy.save')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** Details as short "key: value" pairs (ids and counts only; the log holds no personal data). */
function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.length : String(v)}`)
    .join(', ');
}

function AccessLogCard({ user }: { user: User }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<LogFilters>({ action: '', from: '', to: '' });
  const log = useAccessLog(filters);
  const lines = log.data?.pages.flatMap((p) => p.items) ?? [];
  const at = (iso: string) => formatInstant(user.locale, iso, user.timeZone);
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('privacy.logHelp')}
        </Text>
        <Group align="end">
          <TextInput
            label={t('privacy.filterAction')}
            value={filters.action}
            placeholder="privacy."
            onChange={(e) => setFilters({ ...filters, action: e.currentTarget.value })}
          />
          <TextInput
            type="date"
            label={t('privacy.filterFrom')}
            value={filters.from}
            onChange={(e) => setFilters({ ...filters, from: e.currentTarget.value })}
          />
          <TextInput
            type="date"
            label={t('privacy.filterTo')}
            value={filters.to}
            onChange={(e) => setFilters({ ...filters, to: e.currentTarget.value })}
          />
        </Group>
        {log.isError && <ProblemAlert error={log.error} onRetry={() => void log.refetch()} />}
        {log.isSuccess && lines.length === 0 && <Text c="dimmed">{t('privacy.empty')}</Text>}
        {lines.length > 0 && (
          <Table.ScrollContainer minWidth={720}>
            <Table striped aria-label={t('privacy.tabLog')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('privacy.at')}</Table.Th>
                  <Table.Th>{t('privacy.who')}</Table.Th>
                  <Table.Th>{t('privacy.action')}</Table.Th>
                  <Table.Th>{t('privacy.target')}</Table.Th>
                  <Table.Th>{t('privacy.details')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {lines.map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{at(l.at)}</Table.Td>
                    <Table.Td>
                      {l.actor === 'user' ? (l.userEmail ?? l.userId) : t(`privacy.${l.actor}`)}
                    </Table.Td>
                    <Table.Td>
                      <code>{l.action}</code>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace">
                        {l.target ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{detailsText(l.details)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {log.hasNextPage && (
          <Group>
            <Button variant="light" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
              {t('privacy.more')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

export function PrivacyPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const owner = user.role === 'owner';
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        {t('privacy.title')}
      </Title>
      <Text c="dimmed">{t('privacy.intro')}</Text>
      <Tabs defaultValue="requests">
        <Tabs.List>
          <Tabs.Tab value="requests" leftSection={<IconUserShield size={16} />}>
            {t('privacy.tabRequests')}
          </Tabs.Tab>
          <Tabs.Tab value="retention" leftSection={<IconClockHour4 size={16} />}>
            {t('privacy.tabRetention')}
          </Tabs.Tab>
          {owner && (
            <Tabs.Tab value="log" leftSection={<IconClipboardList size={16} />}>
              {t('privacy.tabLog')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="requests" pt="md">
          <Stack gap="md">
            <ExportCard />
            <EraseCard />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="retention" pt="md">
          <RetentionCard />
        </Tabs.Panel>
        {owner && (
          <Tabs.Panel value="log" pt="md">
            <AccessLogCard user={user} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
