/** @module "Themes": what the reasons say — overview with drivers and the summary, one theme at `/themes/{id}`, the editor and candidates. */
import {
  Alert,
  Anchor,
  Badge,
  Card,
  Center,
  Group,
  Loader,
  NativeSelect,
  Progress,
  SegmentedControl,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { lazy, type MouseEvent, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, User } from '../api/types';
import { formatCount, formatPValue, formatShare } from '../format';
import { ProblemAlert } from '../problem-alert';
import { useLocation, useSearchParams } from '../router';
import { type ThemeFilter, type ThemeRow, useSummary, useThemes, useThemeUnits } from './api';
import { CandidatesView } from './candidates';
import { follow, THEMES_PATH, themeIdOf, useThemeFilter } from './filter';
import { TaxonomyEditor } from './taxonomy-editor';
import { ThemeDetailView } from './theme-detail';

const charts = () => import('./charts');
const Sparkline = lazy(() => charts().then((m) => ({ default: m.Sparkline })));
const DriverChart = lazy(() => charts().then((m) => ({ default: m.DriverChart })));

function Filters() {
  const { t } = useTranslation();
  const [filter, search, setSearch] = useThemeFilter();
  const units = useThemeUnits();
  return (
    <Group gap="sm" wrap="wrap" data-testid="theme-filters">
      <SegmentedControl
        value={filter.audience}
        onChange={(v) => setSearch({ audience: v === 'customer' ? null : v })}
        data={[
          { value: 'customer', label: t('themes.customers') },
          { value: 'employee', label: t('themes.employees') },
        ]}
      />
      <SegmentedControl
        value={search.get('days') ?? '90'}
        onChange={(v) => setSearch({ days: v === '90' ? null : v })}
        data={[
          { value: '30', label: t('themes.days30') },
          { value: '90', label: t('themes.days90') },
          { value: '365', label: t('themes.days365') },
        ]}
      />
      <NativeSelect
        aria-label={t('themes.unit')}
        value={filter.unitId ?? ''}
        onChange={(e) => setSearch({ unit: e.currentTarget.value || null })}
        data={[
          { value: '', label: t('themes.allUnits') },
          ...(units.data ?? []).map((u) => ({ value: u.id, label: u.name })),
        ]}
      />
    </Group>
  );
}

function PolarityBadges({ row }: { row: ThemeRow }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Tooltip label={t('themesTable.complaints')}>
        <Badge color="red" variant="light" size="sm">
          {row.complaints}
        </Badge>
      </Tooltip>
      <Tooltip label={t('themesTable.praises')}>
        <Badge color="teal" variant="light" size="sm">
          {row.praises}
        </Badge>
      </Tooltip>
      <Tooltip label={t('themesTable.wishes')}>
        <Badge color="yellow" variant="light" size="sm">
          {row.wishes}
        </Badge>
      </Tooltip>
    </Group>
  );
}

function ThemesTable({ rows, min, search }: { rows: ThemeRow[]; min: number; search: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table striped highlightOnHover data-testid="themes-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('themesTable.theme')}</Table.Th>
            <Table.Th ta="right">{t('themesTable.mentions')}</Table.Th>
            <Table.Th ta="right">{t('themesTable.share')}</Table.Th>
            <Table.Th>{t('themesTable.polarity')}</Table.Th>
            <Table.Th>{t('themesTable.trend')}</Table.Th>
            <Table.Th ta="right">
              <Tooltip label={t('themesTable.impactHint')} multiline w={260}>
                <span>{t('themesTable.impact')}</span>
              </Tooltip>
            </Table.Th>
            <Table.Th>{t('themesTable.driver')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => {
            const href = `${THEMES_PATH}/${r.id}${search ? `?${search}` : ''}`;
            return (
              <Table.Tr key={r.id} data-testid={`theme-row-${r.key}`}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Anchor href={href} onClick={(e: MouseEvent) => follow(e, href)} fw={600}>
                      {r.name[locale]}
                    </Anchor>
                    {r.emerging && (
                      <Tooltip
                        label={t('themesTable.emergingHint', {
                          ratio: r.emerging.ratio,
                          p: formatPValue(locale, r.emerging.pValue),
                        })}
                      >
                        <Badge color="orange" size="sm" data-testid="emerging">
                          {t('themesTable.emerging')}
                        </Badge>
                      </Tooltip>
                    )}
                  </Group>
                </Table.Td>
                {r.hidden ? (
                  <Table.Td colSpan={6}>
                    <Text size="sm" c="dimmed">
                      {t('themesTable.hidden', { min })}
                    </Text>
                  </Table.Td>
                ) : (
                  <>
                    <Table.Td ta="right">{formatCount(locale, r.mentions ?? 0)}</Table.Td>
                    <Table.Td ta="right">{r.share === null ? '—' : formatShare(locale, r.share)}</Table.Td>
                    <Table.Td>
                      <PolarityBadges row={r} />
                    </Table.Td>
                    <Table.Td>
                      <Suspense fallback={null}>
                        <Sparkline points={r.trend} />
                      </Suspense>
                    </Table.Td>
                    <Table.Td ta="right">{r.impact ? `+${r.impact.toLocaleString(locale)}` : '—'}</Table.Td>
                    <Table.Td>
                      {r.driver?.leaning === 'detractors' ? (
                        <Badge color="red" variant="outline" size="sm">
                          {t('themesTable.detractors')}
                        </Badge>
                      ) : r.driver?.leaning === 'promoters' ? (
                        <Badge color="teal" variant="outline" size="sm">
                          {t('themesTable.promoters')}
                        </Badge>
                      ) : (
                        t('themesTable.neither')
                      )}
                    </Table.Td>
                  </>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function SummaryCard({ filter }: { filter: ThemeFilter }) {
  const { t, i18n } = useTranslation();
  const summary = useSummary({ ...filter, lang: i18n.language });
  const s = summary.data;
  if (!s || s.hidden) return null;
  const block = (title: string, items: { themeId: string; name: string; count: number }[], color: string) => (
    <Stack gap={4}>
      <Text fw={600} size="sm" c={color}>
        {title}
      </Text>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('themesSummary.none')}
        </Text>
      ) : (
        items.map((i) => (
          <Text size="sm" key={i.themeId}>
            {i.name} — {i.count}
          </Text>
        ))
      )}
    </Stack>
  );
  return (
    <Card withBorder radius="md" data-testid="themes-summary">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('themesSummary.title')}
        </Title>
        <Text size="sm">{s.text}</Text>
        <Group align="flex-start" grow>
          {block(t('themesSummary.complaints'), s.complaints, 'red.8')}
          {block(t('themesSummary.wishes'), s.wishes, 'yellow.9')}
          {block(t('themesSummary.praises'), s.praises, 'teal.8')}
        </Group>
      </Stack>
    </Card>
  );
}

function OverviewView() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const [filter, search] = useThemeFilter();
  const themes = useThemes(filter);
  const o = themes.data;
  return (
    <Stack gap="md">
      {themes.isError && <ProblemAlert error={themes.error} onRetry={() => void themes.refetch()} />}
      {!o && themes.isPending && (
        <Center p="xl">
          <Loader />
        </Center>
      )}
      {o?.retag.running && (
        <Alert color="blue" data-testid="retag-progress">
          <Stack gap={4}>
            <Text size="sm">
              {t('themes.retagRunning', {
                done: formatCount(locale, o.retag.done),
                total: formatCount(locale, o.retag.total),
              })}
            </Text>
            <Progress value={o.retag.total ? (100 * o.retag.done) / o.retag.total : 0} />
          </Stack>
        </Alert>
      )}
      {o?.hidden && <Alert color="gray">{t('themes.employeeHidden', { min: o.minGroupSize })}</Alert>}
      {o && !o.hidden && (
        <>
          <Text size="sm" c="dimmed" data-testid="themes-counts">
            {formatCount(locale, o.answers)} {t('themes.answers')}, {formatCount(locale, o.withText)}{' '}
            {t('themes.withText')}
          </Text>
          {o.withText === 0 ? (
            <Text c="dimmed">{t('themes.noThemes')}</Text>
          ) : (
            <>
              <SummaryCard filter={filter} />
              <Card withBorder radius="md">
                <ThemesTable rows={o.themes} min={o.minGroupSize} search={search.toString()} />
              </Card>
              <Card withBorder radius="md">
                <Stack gap="xs">
                  <Title order={2} size="h4">
                    {t('themesDrivers.title')}
                  </Title>
                  <Text size="xs" c="dimmed">
                    {t('themesDrivers.method')}
                  </Text>
                  <Suspense fallback={<Loader size="sm" />}>
                    <DriverChart rows={o.themes.filter((r) => !r.hidden)} locale={locale} />
                  </Suspense>
                </Stack>
              </Card>
            </>
          )}
        </>
      )}
    </Stack>
  );
}

export function ThemesPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { path } = useLocation();
  const [search, setSearch] = useSearchParams();
  const id = themeIdOf(path);
  const tab = search.get('tab') ?? 'overview';
  useEffect(() => {
    document.title = `${t('themes.title')} — ${t('app.name')}`;
  }, [t]);
  return (
    <Stack gap="md" maw={1400}>
      <Stack gap={2}>
        <Title order={1} size="h2">
          {t('themes.title')}
        </Title>
        <Text c="dimmed" size="sm">
          {t('themes.subtitle')}
        </Text>
      </Stack>
      {id ? (
        <>
          <Filters />
          <ThemeDetailView id={id} />
        </>
      ) : (
        <Tabs
          value={tab}
          onChange={(v) => setSearch({ tab: v === 'overview' ? null : v })}
          keepMounted={false}
        >
          <Tabs.List>
            <Tabs.Tab value="overview">{t('themes.tabOverview')}</Tabs.Tab>
            <Tabs.Tab value="editor">{t('themes.tabEditor')}</Tabs.Tab>
            <Tabs.Tab value="candidates">{t('themes.tabCandidates')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="overview" pt="md">
            <Stack gap="md">
              <Filters />
              <OverviewView />
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="editor" pt="md">
            <TaxonomyEditor user={user} />
          </Tabs.Panel>
          <Tabs.Panel value="candidates" pt="md">
            <Stack gap="md">
              <Filters />
              <CandidatesView user={user} />
            </Stack>
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}
