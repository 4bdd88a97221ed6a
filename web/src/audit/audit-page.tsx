/** @module "Data readiness": what the client base is fit for, the survey method it allows, what the accounting system must add. */
import {
  Badge,
  Group,
  List,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconAlertTriangle, IconBulb, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { formatCount, formatShare } from '../format';
import { ProblemAlert } from '../problem-alert';
import {
  type AuditFindings,
  type Method,
  type Requirement,
  type Severity,
  type Share,
  useAudit,
  useAuditUnits,
} from './api';

const SEVERITIES: readonly Severity[] = ['blocking', 'important', 'nice'];
const SEVERITY_COLOR: Record<Severity, string> = { blocking: 'red', important: 'orange', nice: 'blue' };
const METHOD_KEY = {
  email: 'audit.methodEmail',
  sms: 'audit.methodSms',
  phone: 'audit.methodPhone',
  mix: 'audit.methodMix',
  none: 'audit.methodNone',
} as const;

/** A share as the page writes it: "70%", "<1%" for a small non-zero share, never "0%" for something present. */
function shareText(locale: Locale, s: Share): string {
  if (s.count > 0 && s.share < 0.005) return `<${formatShare(locale, 0.01)}`;
  return formatShare(locale, s.share);
}

function StatCard({
  label,
  hint,
  share,
  tone,
}: {
  label: string;
  hint: string;
  share: Share;
  tone: 'good' | 'bad';
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  // A high share of a good thing is green; a high share of a bad thing (no channel, duplicates) is red.
  const level = tone === 'good' ? share.share : 1 - share.share;
  const color = level >= 0.8 ? 'teal' : level >= 0.5 ? 'yellow' : 'red';
  return (
    <Paper withBorder p="md">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text size="sm" c="dimmed" fw={600}>
            {label}
          </Text>
          <Tooltip label={hint} multiline w={260}>
            <IconInfoCircle size={16} color="var(--mantine-color-dimmed)" />
          </Tooltip>
        </Group>
        <Text fz={34} fw={700} lh={1} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {shareText(locale, share)}
        </Text>
        <Progress value={share.share * 100} color={color} size="sm" aria-hidden />
        <Text size="xs" c="dimmed">
          {t('audit.countOf', {
            count: formatCount(locale, share.count),
            total: formatCount(locale, share.total),
          })}
        </Text>
      </Stack>
    </Paper>
  );
}

function ShareRow({ label, share }: { label: string; share: Share }) {
  const { i18n } = useTranslation();
  const locale = i18n.language as Locale;
  return (
    <Table.Tr>
      <Table.Td>{label}</Table.Td>
      <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {shareText(locale, share)}
      </Table.Td>
      <Table.Td ta="right" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatCount(locale, share.count)}
      </Table.Td>
    </Table.Tr>
  );
}

function FillBar({ label, share }: { label: string; share: Share }) {
  const { i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const color = share.share >= 0.9 ? 'teal' : share.share >= 0.5 ? 'yellow' : 'red';
  return (
    <div>
      <Group justify="space-between" gap="xs">
        <Text size="sm">{label}</Text>
        <Text size="sm" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {shareText(locale, share)}
        </Text>
      </Group>
      <Progress value={share.share * 100} color={color} size="sm" aria-label={label} />
    </div>
  );
}

function RecommendationCard({ audit }: { audit: AuditFindings }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const r = audit.recommendation;
  const moe = (m: number | null) => (m === null ? '—' : `±${formatCount(locale, m)}`);
  const plans = r.plans.filter((p) => p.method !== 'mix' || p.parts.length > 1);
  const rate = (m: Exclude<Method, 'mix'>) => {
    const x = audit.assumptions.responseRates[m];
    return `${formatShare(locale, x.low)}–${formatShare(locale, x.high)}`;
  };
  return (
    <Paper withBorder p="lg" h="100%">
      <Stack gap="md">
        <Group gap="sm">
          <ThemeIcon variant="light" color={r.reliable ? 'teal' : 'orange'} size="lg">
            {r.reliable ? <IconBulb size={20} /> : <IconAlertTriangle size={20} />}
          </ThemeIcon>
          <div>
            <Text size="sm" c="dimmed" fw={600}>
              {t('audit.recommendation')}
            </Text>
            <Title order={2} size="h3" data-testid="audit-method">
              {t(METHOD_KEY[r.method])}
            </Title>
          </div>
          {!r.reliable && (
            <Badge color="orange" variant="light">
              {t('audit.unreliable')}
            </Badge>
          )}
        </Group>
        <List size="sm" spacing={4}>
          {r.reasons.map((reason) => (
            <List.Item key={reason.en}>{reason[locale]}</List.Item>
          ))}
        </List>
        <Table striped withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('audit.colChannel')}</Table.Th>
              <Table.Th ta="right">{t('audit.colReach')}</Table.Th>
              <Table.Th ta="right">{t('audit.colCoverage')}</Table.Th>
              <Table.Th ta="right">{t('audit.colAnswers')}</Table.Th>
              <Table.Th ta="right">{t('audit.colMoe')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plans.map((p) => (
              <Table.Tr key={p.method} fw={p.method === r.method ? 700 : undefined}>
                <Table.Td>{t(METHOD_KEY[p.method])}</Table.Td>
                <Table.Td ta="right">{formatCount(locale, p.reach)}</Table.Td>
                <Table.Td ta="right">{formatShare(locale, p.coverage)}</Table.Td>
                <Table.Td ta="right">
                  {formatCount(locale, p.answers.low)}–{formatCount(locale, p.answers.high)}
                </Table.Td>
                <Table.Td ta="right">
                  {moe(p.moe.low)}…{moe(p.moe.high)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed">
          {t('audit.assumptions', {
            email: rate('email'),
            sms: rate('sms'),
            phone: rate('phone'),
            calls: audit.assumptions.callsPerOperatorHour,
            target: r.targetMoe,
            needed: formatCount(locale, r.answersNeeded.target),
          })}
        </Text>
      </Stack>
    </Paper>
  );
}

function measuredText(locale: Locale, r: Requirement, t: TFunction): string {
  if (r.measured.kind === 'share') return shareText(locale, r.measured);
  return t(r.measured.kind === 'days' ? 'audit.days' : 'audit.months', { count: r.measured.value });
}

function RequirementsCard({ audit }: { audit: AuditFindings }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  return (
    <Paper withBorder p="lg" h="100%">
      <Stack gap="md">
        <Title order={2} size="h4">
          {t('audit.requirements')}
        </Title>
        {audit.requirements.length === 0 && (
          <Group gap="xs">
            <IconCircleCheck color="var(--mantine-color-teal-6)" />
            <Text>{t('audit.allMet')}</Text>
          </Group>
        )}
        {SEVERITIES.map((severity) => {
          const items = audit.requirements.filter((r) => r.severity === severity);
          if (items.length === 0) return null;
          return (
            <Stack key={severity} gap="xs" data-testid={`requirements-${severity}`}>
              <Badge color={SEVERITY_COLOR[severity]} variant="filled" w="fit-content">
                {t(`audit.severity_${severity}`)}
              </Badge>
              {items.map((r) => (
                <Paper
                  key={r.key}
                  withBorder
                  p="sm"
                  style={{ borderLeft: `4px solid var(--mantine-color-${SEVERITY_COLOR[severity]}-6)` }}
                >
                  <Group justify="space-between" wrap="nowrap" align="flex-start" gap="sm">
                    <Stack gap={2}>
                      <Text fw={600} size="sm">
                        {r.field[locale]}
                        <Text span c="dimmed" fw={400}>
                          {' '}
                          — {r.neededFor[locale]}
                        </Text>
                      </Text>
                      <Text size="sm">{r.text[locale]}</Text>
                    </Stack>
                    <Text fw={700} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                      {measuredText(locale, r, t)}
                    </Text>
                  </Group>
                </Paper>
              ))}
            </Stack>
          );
        })}
      </Stack>
    </Paper>
  );
}

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const [unitId, setUnitId] = useState<string | null>(null);
  const units = useAuditUnits();
  const audit = useAudit(unitId);
  useEffect(() => {
    document.title = `${t('audit.title')} — ${t('app.name')}`;
  }, [t]);
  const a = audit.data;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            {t('audit.title')}
          </Title>
          <Text c="dimmed">{t('audit.subtitle')}</Text>
        </div>
        <Select
          label={t('audit.unit')}
          placeholder={t('audit.wholeOrg')}
          clearable
          searchable
          w={260}
          value={unitId}
          onChange={setUnitId}
          data={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
        />
      </Group>
      {audit.isError && <ProblemAlert error={audit.error} onRetry={() => audit.refetch()} />}
      {!a && !audit.isError && (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          {[1, 2, 3, 4].map((n) => (
            <Skeleton key={n} h={140} />
          ))}
        </SimpleGrid>
      )}
      {a && (
        <>
          <Text size="sm" c="dimmed">
            {t('audit.base', {
              customers: formatCount(locale, a.customers.total),
              contacts: formatCount(locale, a.contacts.total),
              seconds: (a.durationMs / 1000).toLocaleString(locale, { maximumFractionDigits: 1 }),
            })}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
            <StatCard
              label={t('audit.validEmail')}
              hint={t('audit.validEmailHint')}
              share={a.email.valid}
              tone="good"
            />
            <StatCard
              label={t('audit.mobile')}
              hint={t('audit.mobileHint')}
              share={a.phone.mobile}
              tone="good"
            />
            <StatCard
              label={t('audit.neither')}
              hint={t('audit.neitherHint')}
              share={a.customers.neitherChannel}
              tone="bad"
            />
            <StatCard
              label={t('audit.duplicates')}
              hint={t('audit.duplicatesHint')}
              share={a.customers.duplicates}
              tone="bad"
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <RecommendationCard audit={a} />
            <RequirementsCard audit={a} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Paper withBorder p="lg">
              <Title order={2} size="h4" mb="sm">
                {t('audit.contactPoints')}
              </Title>
              <Table fz="sm">
                <Table.Tbody>
                  <ShareRow label={t('audit.emailPresent')} share={a.email.present} />
                  <ShareRow label={t('audit.emailInvalid')} share={a.email.invalid} />
                  <ShareRow label={t('audit.emailDisposable')} share={a.email.disposable} />
                  <ShareRow label={t('audit.emailRole')} share={a.email.role} />
                  <ShareRow label={t('audit.emailTypo')} share={a.email.typo} />
                  <ShareRow label={t('audit.emailDuplicate')} share={a.email.duplicate} />
                  <ShareRow label={t('audit.emailSuppressed')} share={a.email.suppressed} />
                  <ShareRow label={t('audit.phonePresent')} share={a.phone.present} />
                  <ShareRow label={t('audit.phoneLandline')} share={a.phone.landline} />
                  <ShareRow label={t('audit.phoneInvalid')} share={a.phone.invalid} />
                  <ShareRow label={t('audit.phoneDuplicate')} share={a.phone.duplicate} />
                  <ShareRow label={t('audit.phoneSuppressed')} share={a.phone.suppressed} />
                  <ShareRow label={t('audit.optedOut')} share={a.customers.optedOut} />
                  <ShareRow label={t('audit.externalId')} share={a.customers.withExternalId} />
                </Table.Tbody>
              </Table>
            </Paper>
            <Paper withBorder p="lg">
              <Stack gap="sm">
                <Title order={2} size="h4">
                  {t('audit.visits')}
                </Title>
                <FillBar label={t('audit.fillBranch')} share={a.contacts.withBranch} />
                <FillBar label={t('audit.fillEmployee')} share={a.contacts.withEmployee} />
                <FillBar label={t('audit.fillService')} share={a.contacts.withService} />
                <FillBar label={t('audit.fillAmount')} share={a.contacts.withAmount} />
                <FillBar label={t('audit.fillTime')} share={a.contacts.withTime} />
                <FillBar label={t('audit.fillNumber')} share={a.contacts.withExternalId} />
                <Title order={3} size="h5" mt="sm">
                  {t('audit.history')}
                </Title>
                <Text size="sm">
                  {t('audit.historyLine', {
                    months: a.history.months ?? '—',
                    days: a.history.daysSinceLastContact ?? '—',
                    span: shareText(locale, a.history.span12Months),
                  })}
                </Text>
                <Text size="sm">
                  {t('audit.recency', {
                    d30: shareText(locale, a.history.recent30),
                    d90: shareText(locale, a.history.recent90),
                    d365: shareText(locale, a.history.recent365),
                  })}
                </Text>
                <Text size="sm" fw={600}>
                  {t('audit.frequency')}
                </Text>
                <Group gap="xs" grow align="flex-end">
                  {a.history.frequency.map((b) => (
                    <Stack key={b.bucket} gap={2} align="center">
                      <Text size="xs" fw={600}>
                        {formatShare(locale, b.share)}
                      </Text>
                      <div
                        style={{
                          width: '100%',
                          height: Math.max(2, b.share * 80),
                          background: 'var(--mantine-color-blue-5)',
                          borderRadius: 2,
                        }}
                      />
                      <Text size="xs" c="dimmed">
                        {b.bucket}
                      </Text>
                    </Stack>
                  ))}
                </Group>
              </Stack>
            </Paper>
          </SimpleGrid>
          {a.examples && a.examples.length > 0 && (
            <Paper withBorder p="lg">
              <Title order={2} size="h4" mb="sm">
                {t('audit.examples')}
              </Title>
              <Table fz="sm">
                <Table.Tbody>
                  {a.examples.map((e) => (
                    <Table.Tr key={`${e.kind}-${e.customerId}`}>
                      <Table.Td>{t(`audit.problem_${e.kind}`)}</Table.Td>
                      <Table.Td>{e.value}</Table.Td>
                      <Table.Td c="dimmed">{e.suggestion ? `→ ${e.suggestion}` : ''}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
          )}
        </>
      )}
    </Stack>
  );
}
