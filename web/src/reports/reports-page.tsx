/** @module "Reports": ask for a report (kind, period, audience, unit, language), the library with progress and
 * downloads, and the schedules that mail a report for each period just ended. */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  MultiSelect,
  NumberInput,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconDownload, IconFileSpreadsheet, IconTrash } from '@tabler/icons-react';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_BASE } from '../api/client';
import type { Locale, User } from '../api/types';
import { formatDay, formatInstant } from '../format';
import { ProblemAlert } from '../problem-alert';
import {
  type Report,
  type ReportKindOption,
  type Schedule,
  type ScheduleInput,
  useDeleteReport,
  useDeleteSchedule,
  useRecipients,
  useReportKinds,
  useReports,
  useReportUnits,
  useRequestReport,
  useSaveSchedule,
  useSchedules,
} from './api';

/** A day in the organisation's zone, YYYY-MM-DD. */
function today(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The periods a board usually asks for, ending before today. */
export function presetPeriod(kind: 'month' | 'quarter' | '90', day: string): { from: string; to: string } {
  const [y, m] = day.split('-').map(Number) as [number, number];
  if (kind === 'month')
    return { from: iso(new Date(Date.UTC(y, m - 2, 1))), to: iso(new Date(Date.UTC(y, m - 1, 0))) };
  if (kind === 'quarter') {
    const q = Math.floor((m - 1) / 3);
    return { from: iso(new Date(Date.UTC(y, 3 * q - 3, 1))), to: iso(new Date(Date.UTC(y, 3 * q, 0))) };
  }
  const end = new Date(`${day}T00:00:00Z`);
  return { from: iso(new Date(end.getTime() - 89 * 86_400_000)), to: day };
}

const kindName = (kinds: ReportKindOption[] | undefined, kind: string, locale: Locale) =>
  kinds?.find((k) => k.kind === kind)?.name[locale] ?? kind;

export function ReportsPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const canSchedule = user.role === 'owner' || user.role === 'admin';
  useEffect(() => {
    document.title = `${t('reports.title')} — ${t('app.name')}`;
  }, [t]);
  return (
    <Stack gap="lg" maw={1100}>
      <Stack gap={4}>
        <Title order={1} size="h2">
          {t('reports.title')}
        </Title>
        <Text c="dimmed" size="sm" maw={760}>
          {t('reports.intro')}
        </Text>
      </Stack>
      <GenerateForm user={user} />
      <Library user={user} />
      {canSchedule && <Schedules user={user} />}
    </Stack>
  );
}

function GenerateForm({ user }: { user: User }) {
  const { t } = useTranslation();
  const kinds = useReportKinds();
  const units = useReportUnits();
  const request = useRequestReport();
  const initial = presetPeriod('month', today(user.timeZone));
  const [kind, setKind] = useState<string | null>(null);
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [audience, setAudience] = useState<'customer' | 'employee'>('customer');
  const [unitId, setUnitId] = useState<string | null>(null);
  const [locale, setLocale] = useState<Locale>(user.locale);
  const [sent, setSent] = useState(false);
  const manager = user.role === 'manager';
  const chosenKind = kind ?? kinds.data?.[0]?.kind ?? null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosenKind) return;
    setSent(false);
    request.mutate(
      { kind: chosenKind, options: { locale, audience, from, to, unitId } },
      { onSuccess: () => setSent(true) },
    );
  };
  const preset = (p: 'month' | 'quarter' | '90') => {
    const period = presetPeriod(p, today(user.timeZone));
    setFrom(period.from);
    setTo(period.to);
  };

  return (
    <Paper withBorder p="md" radius="md" component="form" onSubmit={submit} data-testid="report-form">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('reports.generate')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
          <Select
            label={t('reports.kind')}
            data={(kinds.data ?? []).map((k) => ({ value: k.kind, label: k.name[user.locale] }))}
            value={chosenKind}
            onChange={setKind}
            allowDeselect={false}
            data-testid="report-kind"
          />
          <TextInput
            type="date"
            label={t('reports.from')}
            value={from}
            max={to}
            onChange={(e) => setFrom(e.currentTarget.value)}
            required
            data-testid="report-from"
          />
          <TextInput
            type="date"
            label={t('reports.to')}
            value={to}
            min={from}
            onChange={(e) => setTo(e.currentTarget.value)}
            required
            data-testid="report-to"
          />
          <Select
            label={t('reports.audience')}
            data={[
              { value: 'customer', label: t('reports.customers') },
              { value: 'employee', label: t('reports.employees') },
            ]}
            value={audience}
            onChange={(v) => setAudience(v === 'employee' ? 'employee' : 'customer')}
            allowDeselect={false}
          />
          <Select
            label={t('reports.unit')}
            placeholder={manager ? t('reports.unitRequired') : t('reports.wholeOrg')}
            data={[
              ...(manager ? [] : [{ value: '', label: t('reports.wholeOrg') }]),
              ...(units.data ?? []).map((u) => ({ value: u.id, label: u.name })),
            ]}
            value={unitId ?? (manager ? null : '')}
            onChange={(v) => setUnitId(v ? v : null)}
            searchable
            data-testid="report-unit"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('reports.language')}
            </Text>
            <SegmentedControl
              value={locale}
              onChange={(v) => setLocale(v === 'en' ? 'en' : 'ru')}
              data={[
                { value: 'ru', label: t('language.ru') },
                { value: 'en', label: t('language.en') },
              ]}
              aria-label={t('reports.language')}
            />
          </Stack>
        </SimpleGrid>
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            <Button variant="subtle" size="compact-sm" onClick={() => preset('month')}>
              {t('reports.presetLastMonth')}
            </Button>
            <Button variant="subtle" size="compact-sm" onClick={() => preset('quarter')}>
              {t('reports.presetLastQuarter')}
            </Button>
            <Button variant="subtle" size="compact-sm" onClick={() => preset('90')}>
              {t('reports.presetLast90')}
            </Button>
          </Group>
          <Button
            type="submit"
            loading={request.isPending}
            disabled={!chosenKind}
            data-testid="report-submit"
          >
            {t('reports.submit')}
          </Button>
        </Group>
        {user.role === 'analyst' && (
          <Text size="sm" c="dimmed">
            {t('reports.pseudonymised')}
          </Text>
        )}
        {request.isError && <ProblemAlert error={request.error} />}
        {sent && (
          <Alert color="teal" variant="light">
            {t('reports.queuedNote')}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

const statusColour: Record<Report['status'], string> = {
  queued: 'gray',
  running: 'blue',
  done: 'teal',
  failed: 'red',
};

function size(bytes: number | null, locale: Locale): string {
  if (bytes === null) return '—';
  const kb = bytes / 1024;
  return kb < 1024
    ? `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(kb)} KB`
    : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(kb / 1024)} MB`;
}

function Library({ user }: { user: User }) {
  const { t } = useTranslation();
  const reports = useReports();
  const kinds = useReportKinds();
  const remove = useDeleteReport();
  if (reports.isError) return <ProblemAlert error={reports.error} />;
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('reports.library')}
        </Title>
        {!reports.data ? (
          <Loader size="sm" />
        ) : reports.data.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('reports.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="xs" data-testid="report-library">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('reports.colReport')}</Table.Th>
                  <Table.Th>{t('reports.colPeriod')}</Table.Th>
                  <Table.Th w={200}>{t('reports.colStatus')}</Table.Th>
                  <Table.Th>{t('reports.colMade')}</Table.Th>
                  <Table.Th>{t('reports.colSize')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {reports.data.map((r) => (
                  <Table.Tr key={r.id} data-testid="report-row" data-status={r.status}>
                    <Table.Td>
                      <Stack gap={2}>
                        <Text size="sm" fw={500}>
                          {kindName(kinds.data, r.kind, user.locale)}
                        </Text>
                        <Group gap={4}>
                          <Badge size="xs" variant="outline">
                            {r.options.locale.toUpperCase()}
                          </Badge>
                          <Badge size="xs" variant="outline">
                            {r.options.audience === 'customer' ? 'NPS' : 'eNPS'}
                          </Badge>
                          {r.scheduleId && (
                            <Badge size="xs" variant="light">
                              {t('reports.scheduled')}
                            </Badge>
                          )}
                          {r.pseudonymised && (
                            <Badge size="xs" variant="light" color="grape">
                              {t('reports.masked')}
                            </Badge>
                          )}
                        </Group>
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {formatDay(user.locale, r.options.from)} – {formatDay(user.locale, r.options.to)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={4}>
                        <Badge color={statusColour[r.status]} variant="light">
                          {t(`reports.status_${r.status}`)}
                        </Badge>
                        {(r.status === 'running' || r.status === 'queued') && (
                          <Progress
                            value={Math.round(r.progress * 100)}
                            animated
                            size="sm"
                            aria-label={t('reports.colStatus')}
                          />
                        )}
                        {r.error && (
                          <Text size="xs" c={r.status === 'failed' ? 'red' : 'dimmed'}>
                            {r.error}
                          </Text>
                        )}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatInstant(user.locale, r.createdAt, user.timeZone)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{size(r.size, user.locale)}</Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        {r.status === 'done' && (
                          <Button
                            component="a"
                            href={`${API_BASE}/reports/${r.id}/file`}
                            download
                            size="compact-sm"
                            variant="light"
                            leftSection={<IconDownload size={16} />}
                            data-testid="report-download"
                          >
                            {t('reports.download')}
                          </Button>
                        )}
                        {r.status === 'done' && r.kind === 'workbook-xlsx' && (
                          <Anchor href={`${API_BASE}/reports/${r.id}/csv`} download size="sm">
                            <Group gap={4} wrap="nowrap">
                              <IconFileSpreadsheet size={16} />
                              {t('reports.csv')}
                            </Group>
                          </Anchor>
                        )}
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color="red"
                          aria-label={t('reports.delete')}
                          onClick={() => remove.mutate(r.id)}
                        >
                          <IconTrash size={16} />
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {remove.isError && <ProblemAlert error={remove.error} />}
      </Stack>
    </Paper>
  );
}

const blank: ScheduleInput = {
  name: '',
  kind: 'analysis-pptx',
  audience: 'customer',
  unitId: null,
  cadence: 'monthly',
  day: 2,
  hour: 9,
  recipients: [],
  enabled: true,
};

function Schedules({ user }: { user: User }) {
  const { t } = useTranslation();
  const schedules = useSchedules(true);
  const kinds = useReportKinds();
  const units = useReportUnits();
  const people = useRecipients(true);
  const save = useSaveSchedule();
  const remove = useDeleteSchedule();
  const [editing, setEditing] = useState<{ id: string | null; body: ScheduleInput } | null>(null);
  const unitName = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u.name])), [units.data]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    save.mutate(editing, { onSuccess: () => setEditing(null) });
  };
  const set = (patch: Partial<ScheduleInput>) =>
    setEditing((e) => (e ? { ...e, body: { ...e.body, ...patch } } : e));
  const dayLabel =
    editing?.body.cadence === 'weekly'
      ? t('reports.dayWeekly')
      : editing?.body.cadence === 'quarterly'
        ? t('reports.dayQuarterly')
        : t('reports.dayMonthly');

  return (
    <Paper withBorder p="md" radius="md" data-testid="report-schedules">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('reports.schedules')}
          </Title>
          {!editing && (
            <Button
              variant="light"
              size="compact-sm"
              onClick={() =>
                setEditing({ id: null, body: { ...blank, kind: kinds.data?.[0]?.kind ?? blank.kind } })
              }
              data-testid="schedule-new"
            >
              {t('reports.newSchedule')}
            </Button>
          )}
        </Group>
        <Text size="sm" c="dimmed" maw={760}>
          {t('reports.schedulesIntro')}
        </Text>
        {schedules.isError && <ProblemAlert error={schedules.error} />}
        {schedules.data?.length === 0 && !editing && (
          <Text size="sm" c="dimmed">
            {t('reports.noSchedules')}
          </Text>
        )}
        {(schedules.data ?? []).map((s: Schedule) => (
          <Group key={s.id} justify="space-between" wrap="wrap" data-testid="schedule-row">
            <Stack gap={2}>
              <Text fw={500} size="sm">
                {s.name}
              </Text>
              <Text size="xs" c="dimmed">
                {kindName(kinds.data, s.kind, user.locale)} ·{' '}
                {t(`reports.when_${s.cadence}`, { day: s.day, hour: s.hour })} ·{' '}
                {s.unitId ? (unitName.get(s.unitId) ?? '') : t('reports.wholeOrg')} ·{' '}
                {t('reports.nextPeriod', { period: s.nextPeriod })}
              </Text>
            </Stack>
            <Group gap="xs">
              <Badge color={s.enabled ? 'teal' : 'gray'} variant="light">
                {s.enabled ? t('reports.enabled') : t('reports.disabled')}
              </Badge>
              <Button
                size="compact-sm"
                variant="subtle"
                onClick={() =>
                  setEditing({
                    id: s.id,
                    body: {
                      name: s.name,
                      kind: s.kind,
                      audience: s.audience,
                      unitId: s.unitId,
                      cadence: s.cadence,
                      day: s.day,
                      hour: s.hour,
                      recipients: s.recipients,
                      enabled: s.enabled,
                    },
                  })
                }
              >
                ✎
              </Button>
              <Button
                size="compact-sm"
                variant="subtle"
                color="red"
                aria-label={t('reports.delete')}
                onClick={() => remove.mutate(s.id)}
              >
                <IconTrash size={16} />
              </Button>
            </Group>
          </Group>
        ))}
        {editing && (
          <Stack gap="sm" component="form" onSubmit={submit} data-testid="schedule-form">
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
              <TextInput
                label={t('reports.name')}
                placeholder={t('reports.namePlaceholder')}
                value={editing.body.name}
                onChange={(e) => set({ name: e.currentTarget.value })}
                required
              />
              <Select
                label={t('reports.kind')}
                data={(kinds.data ?? []).map((k) => ({ value: k.kind, label: k.name[user.locale] }))}
                value={editing.body.kind}
                onChange={(v) => v && set({ kind: v })}
                allowDeselect={false}
              />
              <Select
                label={t('reports.unit')}
                data={[
                  { value: '', label: t('reports.wholeOrg') },
                  ...(units.data ?? []).map((u) => ({ value: u.id, label: u.name })),
                ]}
                value={editing.body.unitId ?? ''}
                onChange={(v) => set({ unitId: v ? v : null })}
                searchable
              />
              <Select
                label={t('reports.cadence')}
                data={(['weekly', 'monthly', 'quarterly'] as const).map((c) => ({
                  value: c,
                  label: t(`reports.${c}`),
                }))}
                value={editing.body.cadence}
                onChange={(v) =>
                  v && set({ cadence: v as Schedule['cadence'], day: v === 'weekly' ? 1 : editing.body.day })
                }
                allowDeselect={false}
              />
              <NumberInput
                label={dayLabel}
                min={1}
                max={editing.body.cadence === 'weekly' ? 7 : 28}
                value={editing.body.day}
                onChange={(v) => set({ day: Number(v) || 1 })}
              />
              <NumberInput
                label={t('reports.hour')}
                min={0}
                max={23}
                value={editing.body.hour}
                onChange={(v) => set({ hour: Number(v) || 0 })}
              />
              <Select
                label={t('reports.audience')}
                data={[
                  { value: 'customer', label: t('reports.customers') },
                  { value: 'employee', label: t('reports.employees') },
                ]}
                value={editing.body.audience}
                onChange={(v) => set({ audience: v === 'employee' ? 'employee' : 'customer' })}
                allowDeselect={false}
              />
            </SimpleGrid>
            <MultiSelect
              label={t('reports.recipients')}
              description={t('reports.recipientsHint')}
              data={(people.data ?? []).map((p) => ({
                value: p.id,
                label: `${p.name ?? p.email} (${p.email})${p.locale ? ` · ${p.locale.toUpperCase()}` : ''}`,
              }))}
              value={editing.body.recipients}
              onChange={(v) => set({ recipients: v })}
              searchable
            />
            <Checkbox
              label={t('reports.enabled')}
              checked={editing.body.enabled}
              onChange={(e) => set({ enabled: e.currentTarget.checked })}
            />
            {save.isError && <ProblemAlert error={save.error} />}
            <Group>
              <Button type="submit" loading={save.isPending}>
                {t('reports.save')}
              </Button>
              <Button variant="default" onClick={() => setEditing(null)}>
                {t('reports.cancel')}
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
