/** @module Candidate themes: frequent words of comments no theme covers, with examples, one click from a theme of their own. */
import { Alert, Button, Card, Center, Loader, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Locale, User } from '../api/types';
import { formatCount } from '../format';
import { ProblemAlert } from '../problem-alert';
import { useCandidates } from './api';
import { useThemeFilter } from './filter';

export function CandidatesView({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const [filter, , setSearch] = useThemeFilter();
  const candidates = useCandidates(filter);
  const canEdit = user.role === 'owner' || user.role === 'admin';
  const c = candidates.data;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('themesCandidates.intro')}
      </Text>
      {candidates.isError && (
        <ProblemAlert error={candidates.error} onRetry={() => void candidates.refetch()} />
      )}
      {!c && (
        <Center p="xl">
          <Loader />
        </Center>
      )}
      {c?.hidden && <Alert color="gray">{t('themes.employeeHidden', { min: 5 })}</Alert>}
      {c && !c.hidden && c.candidates.length === 0 && <Text c="dimmed">{t('themesCandidates.none')}</Text>}
      {c && !c.hidden && c.candidates.length > 0 && (
        <Card withBorder radius="md">
          <Text size="xs" c="dimmed" mb="xs">
            {t('themesCandidates.scanned', { count: c.scanned })}
          </Text>
          <Table data-testid="candidates">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('themesCandidates.term')}</Table.Th>
                <Table.Th ta="right">{t('themesCandidates.count')}</Table.Th>
                <Table.Th>{t('themesCandidates.examples')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c.candidates.map((x) => (
                <Table.Tr key={x.term} data-testid="candidate">
                  <Table.Td fw={600}>{x.term}</Table.Td>
                  <Table.Td ta="right">{formatCount(locale, x.count)}</Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      {x.examples.map((e) => (
                        <Text key={e.id} size="xs" style={{ overflowWrap: 'anywhere' }}>
                          {e.score} — {e.reason.slice(0, 200)}
                        </Text>
                      ))}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    {canEdit && (
                      <Button
                        size="compact-xs"
                        variant="light"
                        onClick={() => setSearch({ tab: 'editor', add: x.term })}
                      >
                        {t('themesCandidates.makeTheme')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}
