/** @module The campaign builder of a relationship survey: audience, sample, channels, a dry-run preview, start. */
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
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconEye, IconSend } from '@tabler/icons-react';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../problem-alert';
import {
  type CampaignInput,
  type CampaignPlan,
  type Exclusion,
  type SendChannel,
  type UnitOption,
  useCampaigns,
  usePreviewCampaign,
  useStartCampaign,
} from './api';
import { ChannelOrder } from './channel-order';

const EXCLUSIONS: readonly Exclusion[] = ['opted_out', 'asked_recently', 'suppressed', 'no_channel'];
const CHANNELS: readonly SendChannel[] = ['email', 'sms', 'phone'];
type SampleMode = 'all' | 'size' | 'share';

function Figure({ label, value, hint }: { label: string; value: number; hint?: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.2}>
        {value.toLocaleString()}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

function PlanView({ plan }: { plan: CampaignPlan }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid="campaign-preview">
      <SimpleGrid cols={{ base: 1, xs: 3 }}>
        <Figure label={t('sending.base')} value={plan.base} />
        <Figure label={t('sending.eligible')} value={plan.eligible} />
        <Figure
          label={t('sending.selected')}
          value={plan.selected}
          hint={t('sending.seedHint', { seed: plan.seed })}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sending.excludedTitle')}</Table.Th>
              <Table.Th ta="right">{t('sending.customers')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {EXCLUSIONS.map((reason) => (
              <Table.Tr key={reason}>
                <Table.Td>{t(`sending.exclusion_${reason}`)}</Table.Td>
                <Table.Td ta="right">{plan.excluded[reason].toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sending.byChannelTitle')}</Table.Th>
              <Table.Th ta="right">{t('sending.customers')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {CHANNELS.map((channel) => (
              <Table.Tr key={channel}>
                <Table.Td>{t(`sending.channel_${channel}`)}</Table.Td>
                <Table.Td ta="right">{plan.byChannel[channel].toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </SimpleGrid>
    </Stack>
  );
}

export function CampaignBuilder({ surveyId, units }: { surveyId: string; units: UnitOption[] }) {
  const { t } = useTranslation();
  const preview = usePreviewCampaign(surveyId);
  const start = useStartCampaign(surveyId);
  const [name, setName] = useState('');
  const [unitIds, setUnitIds] = useState<string[]>([]);
  const [activeWithinDays, setActiveWithinDays] = useState<number | string>('');
  const [minVisits, setMinVisits] = useState<number | string>('');
  const [mode, setMode] = useState<SampleMode>('all');
  const [size, setSize] = useState<number | string>(1000);
  const [sharePercent, setSharePercent] = useState<number | string>(20);
  const [stratify, setStratify] = useState(false);
  const [channels, setChannels] = useState<SendChannel[]>(['email', 'sms']);
  const [sendAt, setSendAt] = useState('');
  const [started, setStarted] = useState<string | null>(null);

  const input = useMemo((): CampaignInput => {
    const number = (v: number | string) => (typeof v === 'number' && v > 0 ? v : undefined);
    return {
      name: name.trim() || undefined,
      audience: {
        unitIds: unitIds.length ? unitIds : undefined,
        activeWithinDays: number(activeWithinDays),
        minVisits: number(minVisits),
      },
      sample:
        mode === 'size' && number(size)
          ? Number(size)
          : mode === 'share' && number(sharePercent)
            ? { share: Number(sharePercent) / 100 }
            : undefined,
      stratifyByUnit: mode !== 'all' && stratify,
      channels,
      sendAt: sendAt ? new Date(sendAt).toISOString() : undefined,
    };
  }, [name, unitIds, activeWithinDays, minVisits, mode, size, sharePercent, stratify, channels, sendAt]);

  // The preview belongs to the settings it was made with: change one and it must be made again.
  const [previewedFor, setPreviewedFor] = useState<CampaignInput | null>(null);
  const plan = preview.data && previewedFor === input ? preview.data : null;

  function runPreview(event: FormEvent) {
    event.preventDefault();
    setStarted(null);
    setPreviewedFor(input);
    preview.mutate(input);
  }

  function runStart() {
    if (!plan) return;
    start.mutate(
      { ...input, seed: plan.seed },
      {
        onSuccess: ({ campaign }) => {
          setStarted(campaign.name);
          preview.reset();
        },
      },
    );
  }

  const unitData = units.map((u) => ({ value: u.id, label: u.name }));
  return (
    <Paper withBorder p="md" radius="md" component="form" onSubmit={runPreview}>
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4">
            {t('sending.campaignTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('sending.campaignHint')}
          </Text>
        </div>
        <Grid>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <TextInput
              label={t('sending.campaignName')}
              placeholder={t('sending.campaignNamePlaceholder')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              maxLength={200}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <MultiSelect
              label={t('sending.audienceUnits')}
              placeholder={unitIds.length ? undefined : t('sending.wholeBase')}
              data={unitData}
              value={unitIds}
              onChange={setUnitIds}
              searchable
              clearable
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
            <NumberInput
              label={t('sending.activeWithinDays')}
              placeholder={t('sending.any')}
              value={activeWithinDays}
              onChange={setActiveWithinDays}
              min={1}
              max={3650}
              allowDecimal={false}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
            <NumberInput
              label={t('sending.minVisits')}
              placeholder={t('sending.any')}
              value={minVisits}
              onChange={setMinVisits}
              min={1}
              allowDecimal={false}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <ChannelOrder label={t('sending.channels')} value={channels} onChange={setChannels} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Text size="sm" fw={500} mb={4} id="sample-mode">
              {t('sending.sample')}
            </Text>
            <SegmentedControl
              aria-labelledby="sample-mode"
              fullWidth
              value={mode}
              onChange={(v) => setMode(v as SampleMode)}
              data={[
                { value: 'all', label: t('sending.sampleAll') },
                { value: 'size', label: t('sending.sampleSize') },
                { value: 'share', label: t('sending.sampleShare') },
              ]}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
            {mode === 'size' && (
              <NumberInput
                label={t('sending.sampleSizeLabel')}
                value={size}
                onChange={setSize}
                min={1}
                allowDecimal={false}
                thousandSeparator=" "
              />
            )}
            {mode === 'share' && (
              <NumberInput
                label={t('sending.sampleShareLabel')}
                value={sharePercent}
                onChange={setSharePercent}
                min={1}
                max={100}
                suffix=" %"
              />
            )}
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
            {mode !== 'all' && (
              <Switch
                mt={30}
                label={t('sending.stratify')}
                checked={stratify}
                onChange={(e) => setStratify(e.currentTarget.checked)}
              />
            )}
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
            <TextInput
              type="datetime-local"
              label={t('sending.sendAt')}
              description={t('sending.sendAtHint')}
              value={sendAt}
              onChange={(e) => setSendAt(e.currentTarget.value)}
            />
          </Grid.Col>
        </Grid>
        {preview.error && <ProblemAlert error={preview.error} title={t('sending.previewFailed')} />}
        {start.error && <ProblemAlert error={start.error} title={t('sending.startFailed')} />}
        {started && (
          <Alert color="teal" variant="light" title={t('sending.started', { name: started })} maw={720} />
        )}
        {plan && <PlanView plan={plan} />}
        <Group>
          <Button
            type="submit"
            variant={plan ? 'default' : 'filled'}
            leftSection={<IconEye size={16} />}
            loading={preview.isPending}
            disabled={channels.length === 0}
          >
            {t('sending.preview')}
          </Button>
          <Button
            leftSection={<IconSend size={16} />}
            onClick={runStart}
            loading={start.isPending}
            disabled={!plan || plan.selected === 0}
          >
            {plan ? t('sending.startCount', { count: plan.selected }) : t('sending.start')}
          </Button>
          {!plan && (
            <Text size="sm" c="dimmed">
              {t('sending.previewFirst')}
            </Text>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

const STATUS_COLOR = { scheduled: 'blue', running: 'yellow', done: 'teal', failed: 'red' } as const;

export function CampaignList({ surveyId }: { surveyId: string }) {
  const { t, i18n } = useTranslation();
  const campaigns = useCampaigns(surveyId);
  if (campaigns.error) return <ProblemAlert error={campaigns.error} onRetry={() => campaigns.refetch()} />;
  const items = campaigns.data ?? [];
  const when = (iso: string) =>
    new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('sending.campaignsTitle')}
        </Title>
        {items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {campaigns.isLoading ? t('sending.loading') : t('sending.noCampaigns')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('sending.campaignName')}</Table.Th>
                  <Table.Th>{t('sending.status')}</Table.Th>
                  <Table.Th>{t('sending.when')}</Table.Th>
                  <Table.Th ta="right">{t('sending.invited')}</Table.Th>
                  <Table.Th ta="right">{t('sending.sent')}</Table.Th>
                  <Table.Th ta="right">{t('sending.answered')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>{c.name}</Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLOR[c.status]} variant="light">
                        {t(`sending.campaignStatus_${c.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{when(c.sendAt ?? c.createdAt)}</Table.Td>
                    <Table.Td ta="right">{c.invited.toLocaleString()}</Table.Td>
                    <Table.Td ta="right">{c.sent.toLocaleString()}</Table.Td>
                    <Table.Td ta="right">{c.answered.toLocaleString()}</Table.Td>
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
