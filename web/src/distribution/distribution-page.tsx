/** @module "Distribution": per survey, its trigger and reminder, blitz campaigns, and response rates. */
import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSurveys } from '../api/queries';
import type { User } from '../api/types';
import { ProblemAlert } from '../problem-alert';
import {
  type Distribution,
  type RateGroup,
  type SendChannel,
  type UnitOption,
  useContactPolicy,
  useDistribution,
  useResponseRates,
  useSaveContactPolicy,
  useSaveDistribution,
  useUnitOptions,
} from './api';
import { CampaignBuilder, CampaignList } from './campaign-builder';
import { ChannelOrder } from './channel-order';

const canWrite = (user: User) => user.role === 'owner' || user.role === 'admin';

function ContactPolicyForm() {
  const { t } = useTranslation();
  const policy = useContactPolicy();
  const save = useSaveContactPolicy();
  const [relationship, setRelationship] = useState<number | string>('');
  const [transactional, setTransactional] = useState<number | string>('');
  useEffect(() => {
    if (policy.data) {
      setRelationship(policy.data.relationshipDays);
      setTransactional(policy.data.transactionalDays);
    }
  }, [policy.data]);
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ relationshipDays: Number(relationship), transactionalDays: Number(transactional) });
  }
  return (
    <Paper withBorder p="md" radius="md" component="form" onSubmit={submit}>
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4">
            {t('sending.policyTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('sending.policyHint')}
          </Text>
        </div>
        <Group align="flex-end">
          <NumberInput
            label={t('sending.relationshipDays')}
            value={relationship}
            onChange={setRelationship}
            min={0}
            max={730}
            allowDecimal={false}
            suffix={` ${t('sending.days')}`}
            w={260}
          />
          <NumberInput
            label={t('sending.transactionalDays')}
            value={transactional}
            onChange={setTransactional}
            min={0}
            max={365}
            allowDecimal={false}
            suffix={` ${t('sending.days')}`}
            w={260}
          />
          <Button type="submit" variant="light" loading={save.isPending} disabled={!policy.data}>
            {t('sending.save')}
          </Button>
          {save.isSuccess && (
            <Text size="sm" c="teal">
              {t('sending.saved')}
            </Text>
          )}
        </Group>
        {save.error && <ProblemAlert error={save.error} title={t('sending.saveFailed')} />}
      </Stack>
    </Paper>
  );
}

function SettingsForm({
  surveyId,
  current,
  units,
  editable,
}: {
  surveyId: string;
  current: Distribution;
  units: UnitOption[];
  editable: boolean;
}) {
  const { t } = useTranslation();
  const save = useSaveDistribution(surveyId);
  const transactional = current.kind === 'transactional';
  const [triggerOn, setTriggerOn] = useState(current.trigger !== null);
  const [delay, setDelay] = useState<number | string>(current.trigger?.delayMinutes ?? 120);
  const [channels, setChannels] = useState<SendChannel[]>(current.trigger?.channels ?? ['email', 'sms']);
  const [unitIds, setUnitIds] = useState<string[]>(current.trigger?.unitIds ?? []);
  const [maxAge, setMaxAge] = useState<number | string>(current.trigger?.maxAgeHours ?? 72);
  const [reminderOn, setReminderOn] = useState(current.reminder !== null);
  const [afterDays, setAfterDays] = useState<number | string>(current.reminder?.afterDays ?? 3);

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({
      trigger:
        transactional && triggerOn
          ? {
              delayMinutes: Number(delay),
              channels,
              unitIds: unitIds.length ? unitIds : undefined,
              maxAgeHours: Number(maxAge),
            }
          : null,
      reminder: reminderOn ? { afterDays: Number(afterDays) } : null,
    });
  }

  return (
    <Paper withBorder p="md" radius="md" component="form" onSubmit={submit}>
      <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t('sending.settingsTitle')}
          </Title>
          {transactional ? (
            <>
              <Switch
                label={t('sending.triggerOn')}
                description={t('sending.triggerHint')}
                checked={triggerOn}
                onChange={(e) => setTriggerOn(e.currentTarget.checked)}
              />
              {triggerOn && (
                <Grid>
                  <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
                    <NumberInput
                      label={t('sending.delayMinutes')}
                      value={delay}
                      onChange={setDelay}
                      min={0}
                      max={43200}
                      allowDecimal={false}
                      suffix={` ${t('sending.minutes')}`}
                    />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
                    <NumberInput
                      label={t('sending.maxAgeHours')}
                      description={t('sending.maxAgeHint')}
                      value={maxAge}
                      onChange={setMaxAge}
                      min={1}
                      max={2160}
                      allowDecimal={false}
                      suffix={` ${t('sending.hours')}`}
                    />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, md: 6 }}>
                    <MultiSelect
                      label={t('sending.triggerUnits')}
                      placeholder={unitIds.length ? undefined : t('sending.allUnits')}
                      data={units.map((u) => ({ value: u.id, label: u.name }))}
                      value={unitIds}
                      onChange={setUnitIds}
                      searchable
                      clearable
                    />
                  </Grid.Col>
                  <Grid.Col span={12}>
                    <ChannelOrder label={t('sending.channels')} value={channels} onChange={setChannels} />
                  </Grid.Col>
                </Grid>
              )}
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {t('sending.relationshipNote')}
            </Text>
          )}
          <Switch
            label={t('sending.reminderOn')}
            description={t('sending.reminderHint')}
            checked={reminderOn}
            onChange={(e) => setReminderOn(e.currentTarget.checked)}
          />
          {reminderOn && (
            <NumberInput
              label={t('sending.afterDays')}
              value={afterDays}
              onChange={setAfterDays}
              min={1}
              max={60}
              allowDecimal={false}
              suffix={` ${t('sending.days')}`}
              w={220}
            />
          )}
          {save.error && <ProblemAlert error={save.error} title={t('sending.saveFailed')} />}
          {editable && (
            <Group>
              <Button
                type="submit"
                loading={save.isPending}
                disabled={triggerOn && transactional && !channels.length}
              >
                {t('sending.save')}
              </Button>
              {save.isSuccess && (
                <Text size="sm" c="teal">
                  {t('sending.saved')}
                </Text>
              )}
            </Group>
          )}
        </Stack>
      </fieldset>
    </Paper>
  );
}

const percent = (x: number, language: string) =>
  x.toLocaleString(language, { style: 'percent', maximumFractionDigits: 1 });

function RatesTable({ surveyId }: { surveyId: string }) {
  const { t, i18n } = useTranslation();
  const [groupBy, setGroupBy] = useState<RateGroup>('channel');
  const rates = useResponseRates(surveyId, groupBy);
  const labelOf = (key: string, label: string) => {
    if (key === 'none') return t(groupBy === 'unit' ? 'sending.noUnit' : 'sending.noCampaign');
    if (groupBy === 'channel') return t(`sending.channel_${key}`, { defaultValue: key });
    return label;
  };
  const rows = rates.data?.rows ?? [];
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <div>
            <Title order={3} size="h4">
              {t('sending.ratesTitle')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('sending.ratesHint')}
            </Text>
          </div>
          <SegmentedControl
            aria-label={t('sending.groupBy')}
            value={groupBy}
            onChange={(v) => setGroupBy(v as RateGroup)}
            data={[
              { value: 'channel', label: t('sending.byChannel') },
              { value: 'unit', label: t('sending.byUnit') },
              { value: 'campaign', label: t('sending.byCampaign') },
            ]}
          />
        </Group>
        {rates.error && <ProblemAlert error={rates.error} onRetry={() => rates.refetch()} />}
        {rates.isLoading ? (
          <Skeleton h={120} />
        ) : rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('sending.noInvitations')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={600}>
            <Table striped data-testid="response-rates">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t(`sending.groupLabel_${groupBy}`)}</Table.Th>
                  <Table.Th ta="right">{t('sending.invited')}</Table.Th>
                  <Table.Th ta="right">{t('sending.sent')}</Table.Th>
                  <Table.Th ta="right">{t('sending.answered')}</Table.Th>
                  <Table.Th ta="right">{t('sending.rate')}</Table.Th>
                  <Table.Th ta="right">{t('sending.ci95')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...rows, ...(rates.data ? [rates.data.total] : [])].map((r) => (
                  <Table.Tr key={r.key} fw={r.key === 'total' ? 700 : undefined}>
                    <Table.Td>{r.key === 'total' ? t('sending.total') : labelOf(r.key, r.label)}</Table.Td>
                    <Table.Td ta="right">{r.invited.toLocaleString(i18n.language)}</Table.Td>
                    <Table.Td ta="right">{r.sent.toLocaleString(i18n.language)}</Table.Td>
                    <Table.Td ta="right">{r.answered.toLocaleString(i18n.language)}</Table.Td>
                    <Table.Td ta="right">{r.rate === null ? '—' : percent(r.rate, i18n.language)}</Table.Td>
                    <Table.Td ta="right" c="dimmed">
                      {r.ci95
                        ? `${percent(r.ci95[0], i18n.language)} – ${percent(r.ci95[1], i18n.language)}`
                        : '—'}
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

export function DistributionPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const surveys = useSurveys('customer');
  const units = useUnitOptions();
  const [surveyId, setSurveyId] = useState<string | null>(null);
  useEffect(() => {
    if (!surveyId && surveys.data?.[0]) setSurveyId(surveys.data[0].id);
  }, [surveyId, surveys.data]);
  const distribution = useDistribution(surveyId);
  const survey = surveys.data?.find((s) => s.id === surveyId);
  const editable = canWrite(user);

  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>{t('sending.title')}</Title>
        <Text c="dimmed">{t('sending.subtitle')}</Text>
      </div>
      {surveys.error && <ProblemAlert error={surveys.error} onRetry={() => surveys.refetch()} />}
      <Group align="flex-end">
        <Select
          label={t('sending.survey')}
          data={(surveys.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          value={surveyId}
          onChange={setSurveyId}
          allowDeselect={false}
          w={360}
        />
        {survey && (
          <Badge variant="light" size="lg" mb={4}>
            {t(`survey.${survey.kind}`)}
          </Badge>
        )}
      </Group>
      {surveys.data?.length === 0 && <Alert variant="light">{t('sending.noSurveys')}</Alert>}
      {editable && <ContactPolicyForm />}
      {distribution.error && (
        <ProblemAlert error={distribution.error} onRetry={() => distribution.refetch()} />
      )}
      {surveyId && distribution.data ? (
        <SettingsForm
          key={`settings-${surveyId}`}
          surveyId={surveyId}
          current={distribution.data}
          units={units.data ?? []}
          editable={editable}
        />
      ) : (
        surveyId && <Skeleton h={160} />
      )}
      {surveyId && survey?.kind === 'relationship' && editable && (
        <CampaignBuilder key={`campaign-${surveyId}`} surveyId={surveyId} units={units.data ?? []} />
      )}
      {surveyId && survey?.kind === 'relationship' && <CampaignList surveyId={surveyId} />}
      {surveyId && <RatesTable surveyId={surveyId} />}
    </Stack>
  );
}
