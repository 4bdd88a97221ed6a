/** @module Drop alerts: the org's rule (owners and admins change it), a check run now, and the drops found. */
import {
  Badge,
  Button,
  Group,
  NumberInput,
  SegmentedControl,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { ExportMenu } from '../exports/export-menu';
import { formatDiff, formatNps, formatPValue } from '../format';
import { ProblemAlert } from '../problem-alert';
import {
  type DropSettings,
  type DropView,
  useCheckDrops,
  useDropSettings,
  useDrops,
  useSaveDropSettings,
} from './api';

function DropTable({ drops, title, locale }: { drops: DropView[]; title: string; locale: Locale }) {
  const { t } = useTranslation();
  const verdict = (d: DropView) =>
    d.significantDrop
      ? t('benchmarksDrops.significant')
      : d.crossedFloor
        ? t('benchmarksDrops.crossed')
        : d.diff === null
          ? t('benchmarksDrops.tooFew')
          : t('benchmarksDrops.noDrop');
  const columns = [
    { key: 'scope', label: t('benchmarksDrops.scope') },
    { key: 'periodKey', label: t('benchmarksDrops.periodKey') },
    { key: 'nps', label: t('benchmarksDrops.nps'), type: 'number' as const },
    { key: 'n', label: t('benchmarksDrops.answers'), type: 'integer' as const },
    { key: 'previousNps', label: t('benchmarksDrops.previous'), type: 'number' as const },
    {
      key: 'previousN',
      label: `${t('benchmarksDrops.previous')}: ${t('benchmarksDrops.answers')}`,
      type: 'integer' as const,
    },
    { key: 'diff', label: t('benchmarksDrops.diff'), type: 'number' as const },
    { key: 'pValue', label: t('benchmarksDrops.pValue'), type: 'number' as const },
    { key: 'verdict', label: t('benchmarksDrops.verdict') },
  ];
  const rows = drops.map((d) => ({
    scope: d.unitName ?? t('benchmarksDrops.company'),
    periodKey: d.periodKey,
    nps: d.nps,
    n: d.n,
    previousNps: d.previousNps,
    previousN: d.previousN,
    diff: d.diff,
    pValue: d.pValue,
    verdict: verdict(d),
  }));
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3} size="h5">
          {title}
        </Title>
        <ExportMenu title={title} columns={columns} rows={rows} />
      </Group>
      <Table.ScrollContainer minWidth={640}>
        <Table striped aria-label={title}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('benchmarksDrops.scope')}</Table.Th>
              <Table.Th>{t('benchmarksDrops.periodKey')}</Table.Th>
              <Table.Th>{t('benchmarksDrops.nps')}</Table.Th>
              <Table.Th>{t('benchmarksDrops.previous')}</Table.Th>
              <Table.Th>{t('benchmarksDrops.diff')}</Table.Th>
              <Table.Th>{t('benchmarksDrops.pValue')}</Table.Th>
              <Table.Th>{t('benchmarksDrops.verdict')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {drops.map((d, i) => (
              <Table.Tr key={`${d.periodKey}:${d.scope}`}>
                <Table.Td>{rows[i]!.scope}</Table.Td>
                <Table.Td>{d.periodKey}</Table.Td>
                <Table.Td>
                  {formatNps(locale, d.nps)}{' '}
                  <Text span size="xs" c="dimmed">
                    (n = {d.n})
                  </Text>
                </Table.Td>
                <Table.Td>
                  {formatNps(locale, d.previousNps)}{' '}
                  <Text span size="xs" c="dimmed">
                    (n = {d.previousN})
                  </Text>
                </Table.Td>
                <Table.Td>{d.diff === null ? '—' : formatDiff(locale, d.diff)}</Table.Td>
                <Table.Td>{d.pValue === null ? '—' : formatPValue(locale, d.pValue)}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={d.alerted ? 'red' : 'gray'}>
                    {rows[i]!.verdict}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

export function DropsSection({ canEdit, locale }: { canEdit: boolean; locale: Locale }) {
  const { t } = useTranslation();
  const settings = useDropSettings();
  const save = useSaveDropSettings();
  const drops = useDrops();
  const check = useCheckDrops();
  const [draft, setDraft] = useState<DropSettings | null>(null);
  useEffect(() => {
    if (settings.data) setDraft(settings.data);
  }, [settings.data]);

  const report = check.data;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed" maw={900}>
        {t('benchmarksDrops.hint')}
      </Text>
      {settings.isError && <ProblemAlert error={settings.error} />}
      {draft && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate(draft);
          }}
        >
          <Stack gap="sm">
            <Group gap="lg" align="flex-end" wrap="wrap">
              <Switch
                label={t('benchmarksDrops.enabled')}
                checked={draft.enabled}
                disabled={!canEdit}
                onChange={(e) => setDraft({ ...draft, enabled: e.currentTarget.checked })}
              />
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('benchmarksDrops.period')}
                </Text>
                <SegmentedControl
                  disabled={!canEdit}
                  value={draft.period}
                  onChange={(v) => setDraft({ ...draft, period: v as DropSettings['period'] })}
                  data={[
                    { value: 'week', label: t('benchmarksDrops.week') },
                    { value: 'month', label: t('benchmarksDrops.month') },
                  ]}
                />
              </Stack>
              <NumberInput
                label={t('benchmarksDrops.minDrop')}
                value={draft.minDrop}
                disabled={!canEdit}
                min={0}
                max={200}
                allowDecimal={false}
                onChange={(v) => setDraft({ ...draft, minDrop: typeof v === 'number' ? v : 0 })}
                w={180}
              />
              <NumberInput
                label={t('benchmarksDrops.floor')}
                value={draft.floor ?? ''}
                disabled={!canEdit}
                min={-100}
                max={100}
                allowDecimal={false}
                onChange={(v) => setDraft({ ...draft, floor: typeof v === 'number' ? v : null })}
                w={260}
              />
              <NumberInput
                label={t('benchmarksDrops.minAnswers')}
                value={draft.minAnswers}
                disabled={!canEdit}
                min={1}
                allowDecimal={false}
                onChange={(v) => setDraft({ ...draft, minAnswers: typeof v === 'number' ? v : 30 })}
                w={220}
              />
            </Group>
            {canEdit ? (
              <Group gap="sm">
                <Button type="submit" loading={save.isPending}>
                  {t('benchmarksDrops.save')}
                </Button>
                <Button variant="default" loading={check.isPending} onClick={() => check.mutate()}>
                  {t('benchmarksDrops.checkNow')}
                </Button>
                {save.isSuccess && !save.isPending && (
                  <Text size="sm" c="teal">
                    {t('benchmarksDrops.saved')}
                  </Text>
                )}
              </Group>
            ) : (
              <Text size="xs" c="dimmed">
                {t('benchmarksDrops.readOnly')}
              </Text>
            )}
          </Stack>
        </form>
      )}
      {save.isError && <ProblemAlert error={save.error} />}
      {check.isError && <ProblemAlert error={check.error} />}
      {report && (
        <Text size="sm" role="status">
          {report.status === 'disabled'
            ? t('benchmarksDrops.disabled')
            : report.status === 'done_before'
              ? t('benchmarksDrops.doneBefore', { period: report.current.key })
              : t('benchmarksDrops.checked', { period: report.current.key, alerts: report.alerts })}
        </Text>
      )}
      {drops.isError && <ProblemAlert error={drops.error} />}
      {drops.data &&
        (drops.data.alerts.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('benchmarksDrops.noAlerts')}
          </Text>
        ) : (
          <DropTable drops={drops.data.alerts} title={t('benchmarksDrops.alertsTitle')} locale={locale} />
        ))}
      {drops.data && drops.data.latest.length > 0 && (
        <DropTable
          drops={drops.data.latest}
          title={t('benchmarksDrops.latestTitle', { period: drops.data.latest[0]!.periodKey })}
          locale={locale}
        />
      )}
    </Stack>
  );
}
