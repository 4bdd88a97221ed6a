/** @module "My call-backs today": the front-line user's home on a phone — whom to call now, one tap to dial. */
import { ActionIcon, Card, Center, Group, Loader, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { IconChevronRight, IconPhone, IconPhoneCall } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, User } from '../api/types';
import { formatInstant } from '../format';
import { ProblemAlert } from '../problem-alert';
import { useSearchParams } from '../router';
import { type CaseView, type TodayCase, useCases, useTodayCases } from './api';
import { CaseMarks, caseNumber, DueText, ScoreBadge } from './case-bits';
import { CaseDetailView } from './case-view';

export const TODAY_PATH = '/today';

export function TodayPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const open = search.get('case');
  useEffect(() => {
    document.title = `${t('today.title')} — ${t('app.name')}`;
  }, [t]);
  if (open) {
    return (
      <Stack maw={640}>
        <CaseDetailView key={open} id={open} user={user} compact onBack={() => setSearch({ case: null })} />
      </Stack>
    );
  }
  return <TodayList user={user} onOpen={(id) => setSearch({ case: id })} />;
}

function TodayList({ user, onOpen }: { user: User; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const today = useTodayCases();
  // Open cases due later: not for today, but a fresh detractor is best called at once.
  const mine = useCases({ status: 'open', owner: 'me' });
  const todayIds = new Set((today.data ?? []).map((c) => c.id));
  const later = (mine.data?.pages[0]?.items ?? []).filter((c) => !todayIds.has(c.id));
  return (
    <Stack gap="sm" maw={640}>
      <Stack gap={2}>
        <Title order={1} size="h3">
          {t('today.title')}
        </Title>
        <Text c="dimmed" size="sm">
          {today.data ? t('today.count', { count: today.data.length }) : t('today.subtitle')}
        </Text>
      </Stack>
      {today.isPending && (
        <Center p="lg">
          <Loader />
        </Center>
      )}
      {today.isError && <ProblemAlert error={today.error} onRetry={() => void today.refetch()} />}
      {today.data?.length === 0 && (
        <Card withBorder padding="lg" radius="md">
          <Group gap="sm" wrap="nowrap">
            <IconPhoneCall size={28} color="var(--mantine-color-teal-6)" />
            <Text data-testid="today-empty">{t('today.empty')}</Text>
          </Group>
        </Card>
      )}
      {today.data?.map((c) => (
        <TodayCard key={c.id} c={c} locale={locale} timeZone={user.timeZone} onOpen={() => onOpen(c.id)} />
      ))}
      {today.data && later.length > 0 && (
        <>
          <Title order={2} size="h5" mt="sm">
            {t('today.later')}
          </Title>
          {later.map((c) => (
            <TodayCard
              key={c.id}
              c={c}
              locale={locale}
              timeZone={user.timeZone}
              onOpen={() => onOpen(c.id)}
            />
          ))}
        </>
      )}
    </Stack>
  );
}

function TodayCard({
  c,
  locale,
  timeZone,
  onOpen,
}: {
  c: TodayCase | CaseView;
  locale: Locale;
  timeZone: string;
  onOpen: () => void;
}) {
  const { t } = useTranslation();
  const customer = 'customer' in c ? c.customer : null;
  const phone = customer?.phone ?? null;
  const name = customer?.name ?? c.customerName ?? t('cases.anonymous');
  const border = c.overdue
    ? 'var(--mantine-color-orange-6)'
    : c.urgent
      ? 'var(--mantine-color-red-6)'
      : 'var(--mantine-color-gray-3)';
  return (
    <Card
      withBorder
      radius="md"
      padding="sm"
      data-testid="today-case"
      style={{ borderLeft: `4px solid ${border}` }}
    >
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <UnstyledButton
          onClick={onOpen}
          style={{ flex: 1, minWidth: 0 }}
          aria-label={t('today.open', { name })}
        >
          <Stack gap={4}>
            <Group gap={6} wrap="nowrap">
              <ScoreBadge score={c.score} size="md" />
              <Text fw={600} truncate="end" data-testid="today-name">
                {name}
              </Text>
            </Group>
            <Text size="sm" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
              {c.reason ?? t('cases.noReason')}
            </Text>
            <Group gap={4}>
              <CaseMarks view={c} />
            </Group>
            <DueText view={c} locale={locale} timeZone={timeZone} />
            {c.callbackAt && (
              <Text size="sm" c="blue.7">
                {t('today.callbackAt', { at: formatInstant(locale, c.callbackAt, timeZone) })}
              </Text>
            )}
            <Text size="xs" c="dimmed">
              {caseNumber(c.number)}
              {c.unit ? ` · ${c.unit.name}` : ''}
            </Text>
          </Stack>
        </UnstyledButton>
        <Stack gap="xs" align="center">
          {phone && (
            <ActionIcon
              component="a"
              href={`tel:${phone}`}
              size={48}
              radius="xl"
              color="teal"
              aria-label={t('today.call', { phone })}
              data-testid="today-call"
            >
              <IconPhone size={24} />
            </ActionIcon>
          )}
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            onClick={onOpen}
            aria-label={t('today.open', { name })}
          >
            <IconChevronRight size={20} />
          </ActionIcon>
        </Stack>
      </Group>
    </Card>
  );
}
