/** @module The economic assumptions (margin, discount rate, churn period…) and the programmes that move customers, with their costs. */
import {
  ActionIcon,
  Button,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api/client';
import type { Locale } from '../api/types';
import { formatShare } from '../format';
import { ProblemAlert } from '../problem-alert';
import {
  formatMoney,
  type Programme,
  SEGMENTS,
  type Segment,
  type Settings,
  useAddProgramme,
  useDeleteProgramme,
  useProgrammes,
  usePutSettings,
  useSettings,
} from './api';

const fieldError = (error: unknown, path: string) =>
  error instanceof ProblemError ? error.problem.errors?.find((e) => e.path === path)?.message : undefined;

export function SettingsPanel({
  canEdit,
  locale,
  currency,
}: {
  canEdit: boolean;
  locale: Locale;
  currency: string;
}) {
  const { t } = useTranslation();
  const settings = useSettings();
  const put = usePutSettings();
  const [form, setForm] = useState<Settings | null>(null);
  useEffect(() => {
    if (settings.data && !form) setForm(settings.data);
  }, [settings.data, form]);
  if (!form) return null;
  const pct = (key: 'margin' | 'discountRate') => (
    <NumberInput
      label={t(`economicsSettings.${key}`)}
      suffix="%"
      value={Math.round(form[key] * 1000) / 10}
      disabled={!canEdit}
      error={fieldError(put.error, key)}
      onChange={(v) => setForm({ ...form, [key]: Number(v || 0) / 100 })}
      data-testid={`setting-${key}`}
    />
  );
  const int = (key: 'churnDays' | 'horizonYears' | 'windowMonths' | 'bootstrapSamples') => (
    <NumberInput
      label={t(`economicsSettings.${key}`)}
      value={form[key]}
      disabled={!canEdit}
      allowDecimal={false}
      error={fieldError(put.error, key)}
      onChange={(v) => setForm({ ...form, [key]: Number(v || 0) })}
    />
  );
  return (
    <Stack gap="md">
      <Card withBorder radius="md" padding="md">
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('economicsSettings.title')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            {pct('margin')}
            {pct('discountRate')}
            {int('churnDays')}
            {int('horizonYears')}
            {int('windowMonths')}
            {int('bootstrapSamples')}
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('economicsSettings.forecastPeriod')}
              </Text>
              <SegmentedControl
                disabled={!canEdit}
                value={form.forecastPeriod}
                onChange={(v) => setForm({ ...form, forecastPeriod: v as Settings['forecastPeriod'] })}
                data={[
                  { value: 'month', label: t('economicsSettings.month') },
                  { value: 'quarter', label: t('economicsSettings.quarter') },
                ]}
              />
            </Stack>
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('economicsSettings.hint')}
          </Text>
          {canEdit && (
            <Group>
              <Button
                onClick={() => {
                  const { version: _v, isDefault: _d, ...body } = form;
                  put.mutate(body);
                }}
                loading={put.isPending}
                data-testid="save-settings"
              >
                {t('economicsSettings.save')}
              </Button>
              {put.isSuccess && (
                <Text size="sm" c="teal">
                  {t('economicsSettings.saved')}
                </Text>
              )}
            </Group>
          )}
          {put.isError && <ProblemAlert error={put.error} />}
        </Stack>
      </Card>
      <Programmes canEdit={canEdit} locale={locale} currency={currency} />
    </Stack>
  );
}

function Programmes({ canEdit, locale, currency }: { canEdit: boolean; locale: Locale; currency: string }) {
  const { t } = useTranslation();
  const list = useProgrammes();
  const add = useAddProgramme();
  const remove = useDeleteProgramme();
  const empty: Omit<Programme, 'id'> = {
    name: '',
    from: 'detractor',
    to: 'passive',
    costPerCustomerMinor: 0,
    assumedSuccessRate: null,
  };
  const [draft, setDraft] = useState(empty);
  const segments = SEGMENTS.map((s) => ({ value: s, label: t(`economics.segment_${s}`) }));
  return (
    <Card withBorder radius="md" padding="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('economicsSettings.programmes')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('economicsSettings.programmesHint')}
        </Text>
        <Table fz="sm" striped data-testid="programmes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('economicsSettings.programme')}</Table.Th>
              <Table.Th>{t('economicsScenarios.move')}</Table.Th>
              <Table.Th ta="right">{t('economicsSettings.cost')}</Table.Th>
              <Table.Th ta="right">{t('economicsSettings.assumedRate')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(list.data ?? []).map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.name}</Table.Td>
                <Table.Td>
                  {t(`economics.segment_${p.from}`)} → {t(`economics.segment_${p.to}`)}
                </Table.Td>
                <Table.Td ta="right">{formatMoney(locale, p.costPerCustomerMinor, currency)}</Table.Td>
                <Table.Td ta="right">
                  {p.assumedSuccessRate === null ? '—' : formatShare(locale, p.assumedSuccessRate)}
                </Table.Td>
                <Table.Td>
                  {canEdit && (
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('economicsScenarios.remove')}
                      onClick={() => remove.mutate(p.id)}
                    >
                      <IconTrash size={14} />
                    </ActionIcon>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {canEdit && (
          <Group align="flex-end" gap="xs">
            <TextInput
              label={t('economicsSettings.programme')}
              value={draft.name}
              error={fieldError(add.error, 'name')}
              onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
            />
            <Select
              label={t('economicsScenarios.from')}
              w={130}
              data={segments}
              value={draft.from}
              allowDeselect={false}
              onChange={(v) => setDraft({ ...draft, from: v as Segment })}
            />
            <Select
              label={t('economicsScenarios.to')}
              w={130}
              data={segments}
              value={draft.to}
              allowDeselect={false}
              error={fieldError(add.error, 'to')}
              onChange={(v) => setDraft({ ...draft, to: v as Segment })}
            />
            <NumberInput
              label={t('economicsSettings.cost')}
              w={140}
              value={draft.costPerCustomerMinor / 100}
              error={fieldError(add.error, 'costPerCustomerMinor')}
              onChange={(v) => setDraft({ ...draft, costPerCustomerMinor: Math.round(Number(v || 0) * 100) })}
            />
            <NumberInput
              label={t('economicsSettings.assumedRate')}
              w={120}
              suffix="%"
              value={draft.assumedSuccessRate === null ? '' : draft.assumedSuccessRate * 100}
              error={fieldError(add.error, 'assumedSuccessRate')}
              onChange={(v) => setDraft({ ...draft, assumedSuccessRate: v === '' ? null : Number(v) / 100 })}
            />
            <Button
              onClick={() => add.mutate(draft, { onSuccess: () => setDraft(empty) })}
              loading={add.isPending}
            >
              {t('economicsSettings.add')}
            </Button>
          </Group>
        )}
        {add.isError && !(add.error instanceof ProblemError && add.error.problem.errors?.length) && (
          <ProblemAlert error={add.error} />
        )}
      </Stack>
    </Card>
  );
}
