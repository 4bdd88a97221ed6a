/** @module One theme: its trend, per unit and per employee, and the answers that name it (text shown as text, never as markup). */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { lazy, type MouseEvent, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { CommentsWarning } from '../anonymity/comments-warning';
import { ProblemError } from '../api/client';
import type { Locale } from '../api/types';
import { formatCount, formatDay, formatShare } from '../format';
import { ProblemAlert } from '../problem-alert';
import { type BreakdownRow, type Polarity, useThemeDetail, useVerbatims } from './api';
import { follow, THEMES_PATH, useThemeFilter } from './filter';

const ThemeTrend = lazy(() => import('./charts').then((m) => ({ default: m.ThemeTrend })));

const POLARITY_COLOR: Record<Polarity, string> = { complaint: 'red', praise: 'teal', wish: 'yellow' };
const SCORES = Array.from({ length: 11 }, (_, s) => String(s));

function Breakdown({ title, rows, testId }: { title: string; rows: BreakdownRow[]; testId: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  if (rows.length === 0) return null;
  return (
    <Card withBorder radius="md" data-testid={testId}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          {title}
        </Title>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              <Table.Th ta="right">{t('themesDetail.mentions')}</Table.Th>
              <Table.Th ta="right">{t('themesDetail.share')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.slice(0, 15).map((r) => (
              <Table.Tr key={r.key}>
                <Table.Td>{r.label}</Table.Td>
                <Table.Td ta="right">{formatCount(locale, r.mentions)}</Table.Td>
                <Table.Td ta="right">
                  {r.share === null ? '—' : formatShare(locale, r.share)}{' '}
                  <Text span size="xs" c="dimmed">
                    / {formatCount(locale, r.answers)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Card>
  );
}

function Verbatims({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const [filter, search, setSearch] = useThemeFilter();
  const v = {
    scoreMin: search.get('smin') ?? undefined,
    scoreMax: search.get('smax') ?? undefined,
    channel: search.get('channel') ?? undefined,
    polarity: search.get('polarity') ?? undefined,
  };
  const answers = useVerbatims(id, { ...filter, ...v });
  const first = answers.data?.pages[0];
  const items = answers.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card withBorder radius="md">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('themesDetail.verbatims')}
        </Title>
        <Group gap="sm" wrap="wrap" data-testid="verbatim-filters">
          <NativeSelect
            label={t('themesDetail.scoreMin')}
            value={v.scoreMin ?? '0'}
            onChange={(e) =>
              setSearch({ smin: e.currentTarget.value === '0' ? null : e.currentTarget.value })
            }
            data={SCORES}
          />
          <NativeSelect
            label={t('themesDetail.scoreMax')}
            value={v.scoreMax ?? '10'}
            onChange={(e) =>
              setSearch({ smax: e.currentTarget.value === '10' ? null : e.currentTarget.value })
            }
            data={SCORES}
          />
          {filter.audience === 'customer' && (
            <NativeSelect
              label={t('themesDetail.channel')}
              value={v.channel ?? ''}
              onChange={(e) => setSearch({ channel: e.currentTarget.value || null })}
              data={[
                { value: '', label: t('themesDetail.anyChannel') },
                ...['link', 'email', 'sms', 'widget', 'phone'].map((c) => ({ value: c, label: c })),
              ]}
            />
          )}
          <NativeSelect
            label={t('themesDetail.polarity')}
            value={v.polarity ?? ''}
            onChange={(e) => setSearch({ polarity: e.currentTarget.value || null })}
            data={[
              { value: '', label: t('themesDetail.anyPolarity') },
              { value: 'complaint', label: t('themesDetail.complaint') },
              { value: 'praise', label: t('themesDetail.praise') },
              { value: 'wish', label: t('themesDetail.wish') },
            ]}
          />
        </Group>
        {answers.isError && <ProblemAlert error={answers.error} onRetry={() => void answers.refetch()} />}
        {first?.hidden && <Alert color="gray">{t('themesDetail.hidden', { min: 5 })}</Alert>}
        {first && !first.hidden && (
          <Text size="sm" c="dimmed">
            {t('themesDetail.total', { count: first.total })}
          </Text>
        )}
        {first && !first.hidden && items.length === 0 && <Text c="dimmed">{t('themesDetail.none')}</Text>}
        {filter.audience === 'employee' && items.length > 0 && <CommentsWarning />}
        <Stack gap="xs" data-testid="verbatims">
          {items.map((a) => (
            <Card key={a.id} withBorder padding="sm" radius="sm" data-testid="verbatim">
              <Group gap="xs" mb={4}>
                <Badge variant="filled" color={a.score <= 6 ? 'red' : a.score <= 8 ? 'gray' : 'teal'}>
                  {a.score}
                </Badge>
                <Badge variant="light" color={POLARITY_COLOR[a.polarity]}>
                  {t(`themesDetail.${a.polarity}`)}
                </Badge>
                <Text size="xs" c="dimmed">
                  {formatDay(locale, a.day)}
                  {a.unitName ? ` · ${a.unitName}` : ''}
                  {a.channel ? ` · ${a.channel}` : ''}
                </Text>
              </Group>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {a.reason.length > 2000 ? `${a.reason.slice(0, 2000)}…` : a.reason}
              </Text>
            </Card>
          ))}
        </Stack>
        {answers.hasNextPage && (
          <Button
            variant="light"
            onClick={() => void answers.fetchNextPage()}
            loading={answers.isFetchingNextPage}
          >
            {t('themesDetail.more')}
          </Button>
        )}
      </Stack>
    </Card>
  );
}

export function ThemeDetailView({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const [filter, search] = useThemeFilter();
  const detail = useThemeDetail(id, filter);
  const d = detail.data;
  const keep = new URLSearchParams(search);
  for (const k of ['smin', 'smax', 'channel', 'polarity']) keep.delete(k);
  const back = `${THEMES_PATH}${keep.toString() ? `?${keep}` : ''}`;
  if (detail.error instanceof ProblemError && detail.error.status === 404)
    return <Alert color="gray">{t('themesDetail.notFound')}</Alert>;
  return (
    <Stack gap="md">
      <Anchor href={back} onClick={(e: MouseEvent) => follow(e, back)} size="sm">
        {t('themesDetail.back')}
      </Anchor>
      {detail.isError && <ProblemAlert error={detail.error} onRetry={() => void detail.refetch()} />}
      {!d && detail.isPending && (
        <Center p="xl">
          <Loader />
        </Center>
      )}
      {d && (
        <>
          <Title order={2} size="h3" data-testid="theme-name">
            {d.theme.name[locale]}
          </Title>
          <Card withBorder radius="md">
            <Stack gap="xs">
              <Title order={3} size="h5">
                {t('themesDetail.trend')}
              </Title>
              <Suspense fallback={<Loader size="sm" />}>
                <ThemeTrend rows={d.trend} locale={locale} />
              </Suspense>
            </Stack>
          </Card>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Breakdown title={t('themesDetail.byUnit')} rows={d.byUnit} testId="theme-by-unit" />
            <Breakdown title={t('themesDetail.byEmployee')} rows={d.byEmployee} testId="theme-by-employee" />
          </SimpleGrid>
        </>
      )}
      <Verbatims id={id} />
    </Stack>
  );
}
