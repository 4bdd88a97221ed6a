/** @module "Import": upload a CSV/XLSX export, check it (mapping, preview, problems), run it, follow it, undo it. */
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  FileInput,
  Group,
  Modal,
  Paper,
  Progress,
  ScrollArea,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconFileImport, IconPlayerPlay, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../problem-alert';
import {
  type DryRun,
  FIELDS,
  type ImportJob,
  type ImportKind,
  type ImportStatus,
  recheck,
  uploadForDryRun,
  useImportAction,
  useImportErrors,
  useImports,
  useMappings,
  useSaveMapping,
  useStartImport,
} from './api';

const STATUS_COLOR: Record<ImportStatus, string> = {
  running: 'blue',
  paused: 'yellow',
  completed: 'teal',
  failed: 'red',
  rolled_back: 'gray',
  interrupted: 'orange',
};

const DELIMITER: Record<string, string> = { ',': ',', ';': ';', '\t': 'Tab', '|': '|' };

export function ImportsPage() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ImportKind>('contacts');
  const [file, setFile] = useState<File | null>(null);
  const [options, setOptions] = useState({ createUnits: false, createEmployees: false });
  const [report, setReport] = useState<DryRun | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [mappingName, setMappingName] = useState('');
  const start = useStartImport();
  const saveMapping = useSaveMapping();
  const mappings = useMappings();

  const check = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = report
        ? await recheck({
            uploadId: report.uploadId,
            kind,
            fileName: file.name,
            mapping: withCleared(mapping, kind),
            options,
          })
        : await uploadForDryRun(file, kind, options);
      setReport({ ...r, uploadId: report?.uploadId ?? r.uploadId });
      setMapping(r.mapping);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setReport(null);
    setMapping({});
    setError(null);
  };

  const headers = report?.file.headers ?? [];
  const savedForKind = (mappings.data?.items ?? []).filter((m) => m.kind === kind);

  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>{t('imports.title')}</Title>
        <Text c="dimmed">{t('imports.subtitle')}</Text>
      </div>

      <Paper withBorder p="md">
        <Stack>
          <Group align="end">
            <SegmentedControl
              value={kind}
              onChange={(v) => {
                setKind(v as ImportKind);
                reset();
              }}
              data={[
                { value: 'contacts', label: t('imports.kindContacts') },
                { value: 'customers', label: t('imports.kindCustomers') },
              ]}
            />
            <FileInput
              label={t('imports.file')}
              placeholder={t('imports.filePlaceholder')}
              accept=".csv,.txt,.tsv,.xlsx"
              value={file}
              onChange={(f) => {
                setFile(f);
                reset();
              }}
              leftSection={<IconFileImport size={16} />}
              w={320}
              clearable
            />
            <Button onClick={check} loading={busy} disabled={!file} leftSection={<IconRefresh size={16} />}>
              {report ? t('imports.recheck') : t('imports.check')}
            </Button>
          </Group>
          <Group>
            <Checkbox
              label={t('imports.createUnits')}
              checked={options.createUnits}
              onChange={(e) => setOptions({ ...options, createUnits: e.currentTarget.checked })}
            />
            {kind === 'contacts' && (
              <Checkbox
                label={t('imports.createEmployees')}
                checked={options.createEmployees}
                onChange={(e) => setOptions({ ...options, createEmployees: e.currentTarget.checked })}
              />
            )}
          </Group>
          {error !== null && <ProblemAlert error={error} title={t('imports.refused')} />}
        </Stack>
      </Paper>

      {report && (
        <Paper withBorder p="md">
          <Stack>
            <Group gap="xs">
              <Badge variant="light">{report.file.format.toUpperCase()}</Badge>
              {report.file.encoding && <Badge variant="light">{report.file.encoding}</Badge>}
              {report.file.delimiter && (
                <Badge variant="light">
                  {t('imports.separator')}: {DELIMITER[report.file.delimiter] ?? report.file.delimiter}
                </Badge>
              )}
            </Group>
            <Title order={4}>{t('imports.mapping')}</Title>
            <Table withRowBorders={false} maw={640}>
              <Table.Tbody>
                {FIELDS[kind].map((field) => (
                  <Table.Tr key={field}>
                    <Table.Td>
                      <Text size="sm">{t(`imports.field_${field}`)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Select
                        size="xs"
                        aria-label={t(`imports.field_${field}`)}
                        data={headers}
                        value={mapping[field] ?? null}
                        placeholder={t('imports.notInFile')}
                        clearable
                        onChange={(v) => setMapping({ ...mapping, [field]: v ?? '' })}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group align="end">
              <TextInput
                size="xs"
                label={t('imports.mappingName')}
                value={mappingName}
                onChange={(e) => setMappingName(e.currentTarget.value)}
              />
              <Button
                size="xs"
                variant="light"
                disabled={!mappingName.trim()}
                loading={saveMapping.isPending}
                onClick={() =>
                  saveMapping.mutate({ kind, name: mappingName.trim(), mapping: withoutEmpty(mapping) })
                }
              >
                {t('imports.saveMapping')}
              </Button>
              {savedForKind.length > 0 && (
                <Select
                  size="xs"
                  label={t('imports.useMapping')}
                  data={savedForKind.map((m) => ({ value: m.id, label: m.name }))}
                  onChange={(id) => {
                    const m = savedForKind.find((x) => x.id === id);
                    if (m) setMapping(m.mapping);
                  }}
                />
              )}
              {saveMapping.isSuccess && <Text size="xs">{t('imports.mappingSaved')}</Text>}
            </Group>
            {report.mappingErrors.length > 0 && <Alert color="red">{report.mappingErrors.join(' · ')}</Alert>}
            <Text fw={500}>
              {t('imports.totals', {
                rows: report.totals.rows,
                ok: report.totals.ok,
                bad: report.totals.bad,
                warnings: report.totals.warnings,
              })}
              {report.totals.unitsToCreate + report.totals.employeesToCreate > 0 &&
                ` ${t('imports.willCreate', { units: report.totals.unitsToCreate, employees: report.totals.employeesToCreate })}`}
            </Text>
            {report.preview.length > 0 && (
              <>
                <Title order={5}>{t('imports.preview')}</Title>
                <ScrollArea>
                  <Table striped fz="xs">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('imports.line')}</Table.Th>
                        {FIELDS[kind].map((f) => (
                          <Table.Th key={f}>{t(`imports.field_${f}`)}</Table.Th>
                        ))}
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {report.preview.map((row) => (
                        <Table.Tr
                          key={row.line}
                          bg={row.problems.some((p) => p.level === 'error') ? 'red.0' : undefined}
                        >
                          <Table.Td>{row.line}</Table.Td>
                          {FIELDS[kind].map((f) => (
                            <Table.Td key={f}>{shown(f, row.values[f])}</Table.Td>
                          ))}
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollArea>
              </>
            )}
            {report.problems.length > 0 && <ProblemTable problems={report.problems} />}
            <Group>
              <Button
                leftSection={<IconPlayerPlay size={16} />}
                disabled={report.totals.ok === 0 || report.mappingErrors.length > 0}
                loading={start.isPending}
                onClick={() =>
                  start.mutate(
                    {
                      uploadId: report.uploadId,
                      kind,
                      fileName: report.file.name,
                      mapping: withCleared(mapping, kind),
                      options,
                    },
                    { onSuccess: () => reset() },
                  )
                }
              >
                {t('imports.start', { count: report.totals.ok })}
              </Button>
              {start.error && <ProblemAlert error={start.error} />}
            </Group>
          </Stack>
        </Paper>
      )}

      <History />
    </Stack>
  );
}

/** Fields the user cleared are sent as '' (the server then leaves them unmapped instead of auto-mapping them). */
function withCleared(mapping: Record<string, string>, kind: ImportKind): Record<string, string> {
  return Object.fromEntries(FIELDS[kind].map((f) => [f, mapping[f] ?? '']));
}

function withoutEmpty(mapping: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(mapping).filter(([, v]) => v));
}

function shown(field: string, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (field === 'amount' && typeof value === 'number')
    return (value / 100).toLocaleString(undefined, { minimumFractionDigits: 2 });
  if (field === 'occurredAt' && typeof value === 'string') return new Date(value).toLocaleString();
  return String(value);
}

function ProblemTable({
  problems,
}: {
  problems: { line: number; field: string; message: string; level?: string }[];
}) {
  const { t } = useTranslation();
  return (
    <>
      <Title order={5}>{t('imports.problems')}</Title>
      <ScrollArea.Autosize mah={320}>
        <Table fz="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.line')}</Table.Th>
              <Table.Th>{t('imports.level')}</Table.Th>
              <Table.Th>{t('imports.fieldCol')}</Table.Th>
              <Table.Th>{t('imports.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {problems.slice(0, 500).map((p) => (
              <Table.Tr key={`${p.line}-${p.field}-${p.message}`}>
                <Table.Td>{p.line}</Table.Td>
                <Table.Td>
                  <Badge size="xs" color={p.level === 'warning' ? 'yellow' : 'red'}>
                    {p.level === 'warning' ? t('imports.warning') : t('imports.error')}
                  </Badge>
                </Table.Td>
                <Table.Td>{p.field}</Table.Td>
                <Table.Td>{p.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </>
  );
}

function History() {
  const { t } = useTranslation();
  const imports = useImports();
  const action = useImportAction();
  const [openId, setOpenId] = useState<string | null>(null);
  const errors = useImportErrors(openId);
  const items = imports.data?.items ?? [];
  return (
    <Paper withBorder p="md">
      <Title order={4} mb="sm">
        {t('imports.history')}
      </Title>
      {imports.error && <ProblemAlert error={imports.error} />}
      {items.length === 0 ? (
        <Text c="dimmed">{t('imports.none')}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.when')}</Table.Th>
              <Table.Th>{t('imports.file')}</Table.Th>
              <Table.Th>{t('imports.status')}</Table.Th>
              <Table.Th>{t('imports.rows')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((j: ImportJob) => (
              <Table.Tr key={j.id}>
                <Table.Td>{new Date(j.createdAt).toLocaleString()}</Table.Td>
                <Table.Td>
                  <Text size="sm">{j.fileName}</Text>
                  <Text size="xs" c="dimmed">
                    {j.kind === 'contacts' ? t('imports.kindContacts') : t('imports.kindCustomers')}
                  </Text>
                </Table.Td>
                <Table.Td w={200}>
                  <Badge color={STATUS_COLOR[j.status]}>{t(`imports.status_${j.status}`)}</Badge>
                  {j.status === 'running' && <Progress value={j.progress * 100} mt={4} animated />}
                  {j.lastError && (
                    <Text size="xs" c="red">
                      {j.lastError}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {t('imports.counts', { ok: j.rowsOk, created: j.rowsCreated, bad: j.rowsBad })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="end">
                    {(j.rowsBad > 0 || j.status === 'completed') && (
                      <Button size="compact-xs" variant="subtle" onClick={() => setOpenId(j.id)}>
                        {t('imports.badLines')}
                      </Button>
                    )}
                    {j.status === 'running' && (
                      <Button
                        size="compact-xs"
                        variant="light"
                        onClick={() => action.mutate({ id: j.id, action: 'pause' })}
                      >
                        {t('imports.pause')}
                      </Button>
                    )}
                    {j.canResume && (
                      <Button
                        size="compact-xs"
                        variant="light"
                        onClick={() => action.mutate({ id: j.id, action: 'resume' })}
                      >
                        {t('imports.resume')}
                      </Button>
                    )}
                    {j.status !== 'running' && j.status !== 'rolled_back' && (
                      <Button
                        size="compact-xs"
                        variant="light"
                        color="red"
                        onClick={() => {
                          if (window.confirm(t('imports.rollbackConfirm')))
                            action.mutate({ id: j.id, action: 'rollback' });
                        }}
                      >
                        {t('imports.rollback')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {action.error && <ProblemAlert error={action.error} />}
      <Modal opened={openId !== null} onClose={() => setOpenId(null)} title={t('imports.badLines')} size="xl">
        {errors.data && errors.data.items.length === 0 && <Text c="dimmed">{t('imports.noBadLines')}</Text>}
        {errors.data && errors.data.items.length > 0 && (
          <ProblemTable
            problems={errors.data.items.flatMap((e) => e.errors.map((p) => ({ line: e.line, ...p })))}
          />
        )}
      </Modal>
    </Paper>
  );
}
