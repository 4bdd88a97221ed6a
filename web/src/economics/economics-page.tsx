/** @module "Loyalty economics": what each segment is worth, baskets, moving customers, scenarios, forecast and targets, settings. */
import { Card, Center, Group, Loader, Select, Stack, Tabs, Text, Title } from '@mantine/core';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, User } from '../api/types';
import { useCaseUnits } from '../cases/api';
import { formatInstant } from '../format';
import { ProblemAlert } from '../problem-alert';
import { useSearchParams } from '../router';
import {
  type RefreshState,
  useBaskets,
  useForecast,
  useMoveCosts,
  useSavedScenarios,
  useTargets,
  useTransitions,
  useValues,
} from './api';
import { BasketsTable, TransitionsPanel } from './baskets-tab';
import { ForecastPanel, TargetsPanel } from './forecast-tab';
import { MoveCostsTable, ScenarioBuilder } from './scenarios-tab';
import { SettingsPanel } from './settings-tab';
import { ValueTab } from './value-tab';

const TABS = ['value', 'baskets', 'transitions', 'scenarios', 'forecast', 'settings'] as const;
type Tab = (typeof TABS)[number];

/** Loading, error or the content of one query. */
function Loaded<T>({
  query,
  children,
}: {
  query: { data?: T; isError: boolean; error: unknown; isPending: boolean; refetch: () => unknown };
  children: (data: T) => ReactNode;
}) {
  if (query.isError) return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data === undefined) {
    return (
      <Center p="xl">
        <Loader />
      </Center>
    );
  }
  return <>{children(query.data)}</>;
}

/** Figures as of when, and the state of the full recomputation behind them (running, last, next, failed). */
function RefreshLine({ state, locale, timeZone }: { state: RefreshState; locale: Locale; timeZone: string }) {
  const { t } = useTranslation();
  const at = (iso: string) => formatInstant(locale, iso, timeZone);
  return (
    <Stack gap={0} data-testid="economics-refresh">
      <Text c="dimmed" size="xs">
        {t('economics.refreshed', { at: at(state.refreshedAt) })}
      </Text>
      <Text c="dimmed" size="xs">
        {state.buildingSince
          ? t('economics.refreshBuilding', { since: at(state.buildingSince) })
          : t('economics.refreshBuilt', {
              at: at(state.fullAt),
              seconds: ((state.lastFullMs ?? 0) / 1000).toLocaleString(locale, {
                maximumFractionDigits: 1,
              }),
              next: at(state.nextFullAt),
            })}
      </Text>
      {state.lastError && (
        <Text c="red" size="xs">
          {t('economics.refreshFailed', { error: state.lastError })}
        </Text>
      )}
    </Stack>
  );
}

export function EconomicsPage({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const [search, setSearch] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(search.get('tab') ?? '')
    ? (search.get('tab') as Tab)
    : 'value';
  const unitId = search.get('unit');
  const scenarioId = search.get('scenario');
  useEffect(() => {
    document.title = `${t('economics.title')} — ${t('app.name')}`;
  }, [t]);
  const units = useCaseUnits();
  const values = useValues(unitId);
  const baskets = useBaskets(unitId);
  const transitions = useTransitions(unitId);
  const costs = useMoveCosts(unitId);
  const forecast = useForecast(unitId, scenarioId);
  const targets = useTargets(unitId);
  const saved = useSavedScenarios();
  const currency = values.data?.currency ?? 'RUB';
  const canEdit = user.role === 'owner' || user.role === 'admin';
  return (
    <Stack gap="md" maw={1400}>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Stack gap={2}>
          <Title order={1} size="h2">
            {t('economics.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('economics.subtitle')}
          </Text>
          {values.data && (
            <RefreshLine state={values.data.refresh} locale={locale} timeZone={user.timeZone} />
          )}
        </Stack>
        <Select
          label={t('economics.unit')}
          w={260}
          clearable
          placeholder={t('economics.wholeCompany')}
          data={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
          value={unitId}
          onChange={(v) => setSearch({ unit: v })}
          data-testid="unit-filter"
        />
      </Group>
      <Tabs value={tab} onChange={(v) => setSearch({ tab: v === 'value' ? null : v })} keepMounted={false}>
        <Tabs.List>
          {TABS.map((k) => (
            <Tabs.Tab key={k} value={k}>
              {t(`economics.tab_${k}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="value" pt="md">
          <Loaded query={values}>{(v) => <ValueTab report={v} locale={locale} />}</Loaded>
        </Tabs.Panel>
        <Tabs.Panel value="baskets" pt="md">
          <Loaded query={baskets}>{(b) => <BasketsTable report={b} locale={locale} />}</Loaded>
        </Tabs.Panel>
        <Tabs.Panel value="transitions" pt="md">
          <Loaded query={transitions}>{(r) => <TransitionsPanel report={r} locale={locale} />}</Loaded>
        </Tabs.Panel>
        <Tabs.Panel value="scenarios" pt="md">
          <Stack gap="md">
            <Card withBorder radius="md" padding="md">
              <Stack gap="xs">
                <Title order={2} size="h4">
                  {t('economicsScenarios.costsTitle')}
                </Title>
                <Loaded query={costs}>{(c) => <MoveCostsTable report={c} locale={locale} />}</Loaded>
              </Stack>
            </Card>
            <ScenarioBuilder unitId={unitId} locale={locale} currency={currency} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="forecast" pt="md">
          <Stack gap="md">
            <Card withBorder radius="md" padding="md">
              <Loaded query={forecast}>
                {(f) => (
                  <ForecastPanel
                    report={f}
                    locale={locale}
                    scenarios={saved.data ?? []}
                    scenarioId={scenarioId}
                    onScenario={(id) => setSearch({ scenario: id })}
                  />
                )}
              </Loaded>
            </Card>
            <Loaded query={targets}>{(tg) => <TargetsPanel targets={tg} locale={locale} />}</Loaded>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="settings" pt="md">
          <SettingsPanel canEdit={canEdit} locale={locale} currency={currency} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
