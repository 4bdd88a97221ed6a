/** @module The org's own benchmark rows: a table, and (for owners and admins) a form to add, change and delete. */
import {
  ActionIcon,
  Button,
  Group,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ExportMenu } from '../exports/export-menu';
import { ProblemAlert } from '../problem-alert';
import { type BenchmarkRow, type RowInput, type RowKind, useDeleteRow, useSaveRow } from './api';

const EMPTY: RowInput = { name: '', kind: 'other', value: 0, source: '', year: null };

export function RowsEditor({ rows, canEdit }: { rows: BenchmarkRow[]; canEdit: boolean }) {
  const { t } = useTranslation();
  const save = useSaveRow();
  const remove = useDeleteRow();
  const [draft, setDraft] = useState<RowInput & { id?: string }>(EMPTY);
  const kinds: { value: RowKind; label: string }[] = [
    { value: 'average', label: t('benchmarksRows.kindAverage') },
    { value: 'leader', label: t('benchmarksRows.kindLeader') },
    { value: 'other', label: t('benchmarksRows.kindOther') },
  ];
  const kindLabel = (kind: RowKind) => kinds.find((k) => k.value === kind)?.label ?? kind;
  const columns = [
    { key: 'name', label: t('benchmarksRows.name') },
    { key: 'kind', label: t('benchmarksRows.kind') },
    { key: 'value', label: t('benchmarksRows.value'), type: 'integer' as const },
    { key: 'source', label: t('benchmarksRows.source') },
    { key: 'year', label: t('benchmarksRows.year'), type: 'integer' as const },
  ];

  function submit() {
    save.mutate(draft, { onSuccess: () => setDraft(EMPTY) });
  }

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={720}>
          {t('benchmarksRows.hint')}
        </Text>
        <ExportMenu
          title={t('benchmarksRows.title')}
          columns={columns}
          rows={rows.map((r) => ({ ...r, kind: kindLabel(r.kind) }))}
          disabled={rows.length === 0}
        />
      </Group>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('benchmarksRows.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped aria-label={t('benchmarksRows.title')}>
            <Table.Thead>
              <Table.Tr>
                {columns.map((c) => (
                  <Table.Th key={c.key}>{c.label}</Table.Th>
                ))}
                {canEdit && <Table.Th>{t('benchmarksRows.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td>{row.name}</Table.Td>
                  <Table.Td>{kindLabel(row.kind)}</Table.Td>
                  <Table.Td>{row.value}</Table.Td>
                  <Table.Td>{row.source}</Table.Td>
                  <Table.Td>{row.year ?? '—'}</Table.Td>
                  {canEdit && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Tooltip label={t('benchmarksRows.edit')}>
                          <ActionIcon
                            variant="subtle"
                            aria-label={`${t('benchmarksRows.edit')}: ${row.name}`}
                            onClick={() =>
                              setDraft({
                                id: row.id,
                                name: row.name,
                                kind: row.kind,
                                value: row.value,
                                source: row.source,
                                year: row.year,
                              })
                            }
                          >
                            <IconPencil size={16} />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label={t('benchmarksRows.remove')}>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`${t('benchmarksRows.remove')}: ${row.name}`}
                            onClick={() => {
                              if (window.confirm(t('benchmarksRows.confirmRemove', { name: row.name })))
                                remove.mutate(row.id);
                            }}
                          >
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {canEdit && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              label={t('benchmarksRows.name')}
              value={draft.name}
              onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
              required
              w={220}
            />
            <Select
              label={t('benchmarksRows.kind')}
              data={kinds}
              value={draft.kind}
              onChange={(v) => setDraft({ ...draft, kind: (v as RowKind | null) ?? 'other' })}
              allowDeselect={false}
              w={180}
            />
            <NumberInput
              label={t('benchmarksRows.value')}
              value={draft.value}
              onChange={(v) => setDraft({ ...draft, value: typeof v === 'number' ? v : 0 })}
              min={-100}
              max={100}
              allowDecimal={false}
              w={90}
            />
            <TextInput
              label={t('benchmarksRows.source')}
              value={draft.source}
              onChange={(e) => setDraft({ ...draft, source: e.currentTarget.value })}
              required
              w={240}
            />
            <NumberInput
              label={t('benchmarksRows.year')}
              value={draft.year ?? ''}
              onChange={(v) => setDraft({ ...draft, year: typeof v === 'number' ? v : null })}
              min={1900}
              max={2200}
              allowDecimal={false}
              w={90}
            />
            <Button type="submit" loading={save.isPending}>
              {draft.id ? t('benchmarksRows.save') : t('benchmarksRows.add')}
            </Button>
            {draft.id && (
              <Button variant="default" onClick={() => setDraft(EMPTY)}>
                {t('benchmarksRows.cancel')}
              </Button>
            )}
          </Group>
        </form>
      )}
      {save.isError && <ProblemAlert error={save.error} />}
      {remove.isError && <ProblemAlert error={remove.error} />}
    </Stack>
  );
}
