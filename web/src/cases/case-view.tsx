/** @module One case: the answer, the customer and their history, what to do next, and the timeline. */
import {
  Alert,
  Anchor,
  Button,
  Card,
  Center,
  Divider,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { IconArrowLeft, IconMail, IconPhone } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, User } from '../api/types';
import { formatInstant } from '../format';
import { ProblemAlert } from '../problem-alert';
import {
  type CaseDetail,
  type CaseEvent,
  isClosed,
  MANAGER_ROLES,
  type Named,
  useAssignees,
  useCase,
  useResurvey,
  useRootCauses,
} from './api';
import { CaseMarks, caseNumber, DueText, ScoreBadge, StatusBadge } from './case-bits';
import { AssignForm, AttemptForm, NoteForm, ResolveForm, StatusForm } from './case-forms';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder radius="md" padding="md">
      <Stack gap="sm">
        <Title order={2} size="h5">
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}

const money = (locale: Locale, minor: number) =>
  new Intl.NumberFormat(locale, { style: 'currency', currency: 'RUB', maximumFractionDigits: 2 }).format(
    minor / 100,
  );

function eventText(t: (key: string, options?: Record<string, unknown>) => string, e: CaseEvent): string {
  const d = e.data;
  switch (e.kind) {
    case 'status':
      return t('caseEvent.status', {
        from: t(`caseStatus.${String(d.from)}`),
        to: t(`caseStatus.${String(d.to)}`),
      });
    case 'note':
      return String(d.text ?? '');
    case 'attempt':
      return [
        `${t(`caseChannel.${String(d.channel)}`)}: ${t(`caseOutcome.${String(d.outcome)}`)}`,
        d.note ? String(d.note) : null,
      ]
        .filter(Boolean)
        .join(' — ');
    case 'escalated':
      return t('caseEvent.escalated', { step: Number(d.step ?? 1) });
    case 'resurvey_answered':
      return t('caseEvent.resurveyAnswered', { score: d.score ?? '—' });
    default:
      return '';
  }
}

export function CaseTimeline({
  events,
  locale,
  timeZone,
}: {
  events: CaseEvent[];
  locale: Locale;
  timeZone: string;
}) {
  const { t } = useTranslation();
  if (events.length === 0) return <Text c="dimmed">{t('cases.noEvents')}</Text>;
  return (
    <Timeline active={events.length - 1} bulletSize={14} lineWidth={2} data-testid="case-timeline">
      {events.map((e) => (
        <Timeline.Item key={e.id} title={t(`caseEventKind.${e.kind}`, { defaultValue: e.kind })}>
          {eventText(t, e) && (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {eventText(t, e)}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {formatInstant(locale, e.at, timeZone)} · {e.actor?.name ?? t('cases.system')}
          </Text>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

function CustomerBlock({ c, locale, timeZone }: { c: CaseDetail; locale: Locale; timeZone: string }) {
  const { t } = useTranslation();
  const customer = c.customer;
  if (!customer) return <Text c="dimmed">{t('cases.anonymous')}</Text>;
  return (
    <Stack gap="xs">
      <Text fw={600} data-testid="case-customer">
        {customer.name ?? t('cases.noName')}
      </Text>
      <Group gap="sm">
        {customer.phone && (
          <Button
            component="a"
            href={`tel:${customer.phone}`}
            leftSection={<IconPhone size={18} />}
            color="teal"
            data-testid="case-phone"
          >
            {customer.phone}
          </Button>
        )}
        {customer.email && (
          <Anchor href={`mailto:${customer.email}`} size="sm">
            <Group gap={4} wrap="nowrap">
              <IconMail size={16} />
              {customer.email}
            </Group>
          </Anchor>
        )}
      </Group>
      {c.history.answers.length > 1 && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('cases.historyAnswers')}
          </Text>
          {c.history.answers.map((a) => (
            <Group key={a.answeredAt} gap="xs" wrap="nowrap" align="flex-start">
              <ScoreBadge score={a.score} size="md" />
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {a.reason ?? '—'}{' '}
                <Text span size="xs" c="dimmed">
                  {formatInstant(locale, a.answeredAt, timeZone)}
                </Text>
              </Text>
            </Group>
          ))}
        </Stack>
      )}
      {c.history.contacts.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('cases.historyContacts')}
          </Text>
          {c.history.contacts.map((k) => (
            <Text size="sm" key={`${k.at}-${k.service}`}>
              {formatInstant(locale, k.at, timeZone)} ·{' '}
              {[k.unitName, k.service, k.employeeName].filter(Boolean).join(' · ')}
              {k.amountMinor !== null ? ` · ${money(locale, k.amountMinor)}` : ''}
            </Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** The case's own people to assign to: the users list for owners and admins; for managers, themselves. */
function usePeople(user: User, c: CaseDetail | undefined): Named[] {
  const list = useAssignees(user.role === 'owner' || user.role === 'admin');
  const people = new Map<string, Named>();
  for (const p of list.data ?? []) people.set(p.id, { id: p.id, name: p.name ?? p.email });
  if (!people.has(user.id)) people.set(user.id, { id: user.id, name: user.email });
  if (c?.owner && !people.has(c.owner.id)) people.set(c.owner.id, c.owner);
  return [...people.values()];
}

export function CaseDetailView({
  id,
  user,
  compact = false,
  onBack,
}: {
  id: string;
  user: User;
  compact?: boolean;
  onBack?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const tz = user.timeZone;
  const query = useCase(id);
  const causes = useRootCauses();
  const resurvey = useResurvey(id);
  const manager = MANAGER_ROLES.includes(user.role);
  const people = usePeople(user, query.data);
  const works = user.role !== 'analyst';

  if (query.isPending) {
    return (
      <Center p="xl">
        <Loader />
      </Center>
    );
  }
  if (query.isError) return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  const c = query.data;
  const closed = isClosed(c.status);
  const causeName = c.rootCause
    ? (causes.data?.find((x) => x.id === c.rootCause)?.name[locale] ?? c.rootCause)
    : null;

  const header = (
    <Stack gap={6}>
      {onBack && (
        <Button
          variant="subtle"
          size="compact-sm"
          leftSection={<IconArrowLeft size={16} />}
          onClick={onBack}
          w="fit-content"
        >
          {t('cases.back')}
        </Button>
      )}
      <Group gap="xs" wrap="wrap">
        <Title order={1} size={compact ? 'h3' : 'h2'}>
          {t('cases.caseTitle', { number: caseNumber(c.number) })}
        </Title>
        <StatusBadge status={c.status} />
        <CaseMarks view={c} />
      </Group>
      <DueText view={c} locale={locale} timeZone={tz} />
    </Stack>
  );

  const answer = (
    <Section title={t('cases.answer')}>
      <Group gap="sm" align="flex-start" wrap="nowrap">
        <ScoreBadge score={c.score} size="xl" />
        <Stack gap={2} miw={0}>
          <Text style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }} data-testid="case-reason">
            {c.reason ?? t('cases.noReason')}
          </Text>
          <Text size="xs" c="dimmed">
            {[
              formatInstant(locale, c.answeredAt, tz),
              c.answer?.surveyName,
              c.unit?.name,
              c.employee?.name,
              c.answer
                ? t(`caseAnswerChannel.${c.answer.channel}`, { defaultValue: c.answer.channel })
                : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </Stack>
      </Group>
      {c.resurveyScore !== null && (
        <Group gap="xs">
          <Text size="sm">{t('cases.resurveyScore')}</Text>
          <ScoreBadge score={c.resurveyScore} size="md" />
        </Group>
      )}
    </Section>
  );

  const outcomeBlock = closed && (
    <Section title={t('cases.resolution')}>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <Text size="sm">
          <b>{t('caseResolve.rootCause')}:</b> {causeName ?? '—'}
        </Text>
        <Text size="sm">
          <b>{t('caseResolve.cost')}:</b>{' '}
          {c.actionCostMinor === null ? '—' : money(locale, c.actionCostMinor)}
        </Text>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          <b>{t('caseResolve.actionTaken')}:</b> {c.actionTaken ?? '—'}
        </Text>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          <b>{t('caseResolve.outcome')}:</b> {c.outcome ?? '—'}
        </Text>
      </SimpleGrid>
      {c.status === 'resolved' && c.customer && works && (
        <Stack gap={4}>
          <Button
            variant="light"
            w="fit-content"
            loading={resurvey.isPending}
            onClick={() => resurvey.mutate(undefined)}
            disabled={resurvey.isSuccess}
          >
            {resurvey.isSuccess ? t('cases.resurveySent') : t('cases.resurvey')}
          </Button>
          {resurvey.isError && <ProblemAlert error={resurvey.error} />}
        </Stack>
      )}
    </Section>
  );

  const act = works && !closed && (
    <>
      <Section title={t('caseAttempt.title')}>
        <AttemptForm view={c} />
      </Section>
      <Section title={t('caseResolve.title')}>
        <ResolveForm key={`${c.id}-${c.status}`} view={c} locale={locale} />
      </Section>
    </>
  );

  if (compact) {
    return (
      <Stack gap="sm" data-testid="case-view">
        {header}
        {closed && (
          <Alert color="teal" variant="light" data-testid="case-closed">
            {t(`caseClosedNote.${c.status}`)}
          </Alert>
        )}
        {answer}
        <Section title={t('cases.customer')}>
          <CustomerBlock c={c} locale={locale} timeZone={tz} />
        </Section>
        {act}
        {outcomeBlock}
        <Section title={t('cases.timeline')}>
          <CaseTimeline events={c.events} locale={locale} timeZone={tz} />
        </Section>
      </Stack>
    );
  }

  return (
    <Stack gap="md" maw={1200} data-testid="case-view">
      {header}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Stack gap="md">
          {answer}
          <Section title={t('cases.customer')}>
            <CustomerBlock c={c} locale={locale} timeZone={tz} />
          </Section>
          {outcomeBlock}
          <Section title={t('cases.timeline')}>
            <CaseTimeline events={c.events} locale={locale} timeZone={tz} />
            {works && (
              <>
                <Divider />
                <NoteForm view={c} />
              </>
            )}
          </Section>
        </Stack>
        <Stack gap="md">
          {act}
          {works && (
            <Section title={t('cases.manage')}>
              <Text size="sm">
                {t('cases.ownerIs', { name: c.owner?.name ?? t('cases.nobody') })} ·{' '}
                {t(`caseLevel.${c.level}`)}
                {c.firstContactAt
                  ? ` · ${t('cases.firstContact', { at: formatInstant(locale, c.firstContactAt, tz) })}`
                  : ''}
              </Text>
              <StatusForm view={c} manager={manager} />
              {manager && <AssignForm view={c} people={people} />}
            </Section>
          )}
          {!works && (
            <Text size="sm" c="dimmed">
              {t('cases.readOnly')}
            </Text>
          )}
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}
