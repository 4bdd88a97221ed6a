/** @module "Links & QR": anonymous survey links, their QR codes, printable cards and the widget snippet. */
import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Code,
  CopyButton,
  Grid,
  Group,
  Image,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconCheck, IconCopy, IconDownload, IconPrinter, IconQrcode, IconTrash } from '@tabler/icons-react';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_BASE } from '../api/client';
import { useSurveys } from '../api/queries';
import { ProblemAlert } from '../problem-alert';
import {
  type LinkKind,
  type SurveyLink,
  type UnitOption,
  useCreateLink,
  useDeleteLink,
  useLinks,
  useUnits,
  useUpdateLink,
} from './api';

const KINDS: readonly LinkKind[] = ['qr', 'link', 'widget'];
const KIND_LABEL = { qr: 'links.kindQr', link: 'links.kindLink', widget: 'links.kindWidget' } as const;

/** A department is named with its branch ("Арбат · Рецепция"): many branches have a reception. */
function unitLabel(unit: UnitOption, all: UnitOption[]): string {
  const parent = unit.kind === 'department' ? all.find((u) => u.id === unit.parentId) : undefined;
  return parent ? `${parent.name} · ${unit.name}` : unit.name;
}

function Copy({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation();
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Button
          variant="light"
          size="xs"
          color={copied ? 'teal' : undefined}
          leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          onClick={copy}
        >
          {copied ? t('links.copied') : label}
        </Button>
      )}
    </CopyButton>
  );
}

function CreateForm() {
  const { t } = useTranslation();
  const surveys = useSurveys('customer');
  const units = useUnits();
  const create = useCreateLink();
  const [surveyId, setSurveyId] = useState<string | null>(null);
  const [unitId, setUnitId] = useState<string | null>(null);
  const [kind, setKind] = useState<LinkKind>('qr');
  const [name, setName] = useState('');
  const [origins, setOrigins] = useState('');

  useEffect(() => {
    if (!surveyId && surveys.data?.[0]) setSurveyId(surveys.data[0].id);
  }, [surveyId, surveys.data]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!surveyId) return;
    create.mutate(
      {
        surveyId,
        unitId,
        kind,
        name: name.trim(),
        origins: kind === 'widget' ? origins.split(/\s+/).filter(Boolean) : [],
      },
      { onSuccess: () => setName('') },
    );
  }

  return (
    <Paper withBorder p="md" radius="md" component="form" onSubmit={submit}>
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('links.createTitle')}
        </Title>
        <Grid>
          <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
            <Select
              label={t('links.survey')}
              data={(surveys.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
              value={surveyId}
              onChange={setSurveyId}
              allowDeselect={false}
              required
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
            <Select
              label={t('links.unit')}
              placeholder={t('links.wholeOrg')}
              data={(units.data ?? []).map((u) => ({ value: u.id, label: unitLabel(u, units.data ?? []) }))}
              value={unitId}
              onChange={setUnitId}
              clearable
              searchable
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
            <TextInput
              label={t('links.name')}
              placeholder={t('links.namePlaceholder')}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              required
              maxLength={200}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
            <Text size="sm" fw={500} mb={4} id="link-kind">
              {t('links.kind')}
            </Text>
            <SegmentedControl
              aria-labelledby="link-kind"
              fullWidth
              value={kind}
              onChange={(value) => setKind(value as LinkKind)}
              data={KINDS.map((value) => ({ value, label: t(KIND_LABEL[value]) }))}
            />
          </Grid.Col>
          {kind === 'widget' && (
            <Grid.Col span={12}>
              <Textarea
                label={t('links.origins')}
                description={t('links.originsHint')}
                placeholder="https://example.ru"
                value={origins}
                onChange={(event) => setOrigins(event.currentTarget.value)}
                autosize
                minRows={2}
              />
            </Grid.Col>
          )}
        </Grid>
        {create.error && <ProblemAlert error={create.error} title={t('links.createFailed')} />}
        <Group>
          <Button type="submit" loading={create.isPending} disabled={!surveyId || !name.trim()}>
            {t('links.create')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function LinkDetails({ link, onClose }: { link: SurveyLink; onClose: () => void }) {
  const { t } = useTranslation();
  const remove = useDeleteLink();
  const qr = `${API_BASE}/links/${link.id}`;
  return (
    <Modal opened onClose={onClose} title={link.name} size="lg">
      <Stack gap="md">
        <Group align="flex-start" wrap="wrap" gap="lg">
          <Image src={`${qr}/qr.png?size=440`} w={220} h={220} alt={t('links.qrAlt', { name: link.name })} />
          <Stack gap="xs">
            <Text fw={600}>{t('links.qrTitle')}</Text>
            <Button
              component="a"
              href={`${qr}/qr.png?size=1024`}
              download
              leftSection={<IconDownload size={16} />}
              variant="light"
            >
              PNG
            </Button>
            <Button
              component="a"
              href={`${qr}/qr.svg`}
              download
              leftSection={<IconDownload size={16} />}
              variant="light"
            >
              SVG
            </Button>
            <Button
              component="a"
              href={`${qr}/card?format=a5`}
              target="_blank"
              leftSection={<IconPrinter size={16} />}
            >
              {t('links.cardA5')}
            </Button>
            <Button
              component="a"
              href={`${qr}/card?format=a4`}
              target="_blank"
              leftSection={<IconPrinter size={16} />}
              variant="default"
            >
              {t('links.cardA4')}
            </Button>
          </Stack>
        </Group>
        <Stack gap={4}>
          <Text fw={600}>{t('links.url')}</Text>
          <Group gap="xs" wrap="nowrap">
            <Anchor href={link.url} target="_blank" style={{ wordBreak: 'break-all' }}>
              {link.url}
            </Anchor>
            <Copy value={link.url} label={t('links.copy')} />
          </Group>
        </Stack>
        <Stack gap={4}>
          <Text fw={600}>{t('links.snippet')}</Text>
          <Text size="sm" c="dimmed">
            {t('links.snippetHint')}
          </Text>
          <Code block>{link.snippet}</Code>
          <Group>
            <Copy value={link.snippet} label={t('links.copySnippet')} />
          </Group>
        </Stack>
        {remove.error && <ProblemAlert error={remove.error} />}
        <Group justify="flex-end">
          <Button
            color="red"
            variant="subtle"
            leftSection={<IconTrash size={16} />}
            loading={remove.isPending}
            onClick={() => {
              if (window.confirm(t('links.deleteConfirm'))) remove.mutate(link.id, { onSuccess: onClose });
            }}
          >
            {t('links.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function LinksPage() {
  const { t } = useTranslation();
  const links = useLinks();
  const units = useUnits();
  const surveys = useSurveys('customer');
  const update = useUpdateLink();
  const [openId, setOpenId] = useState<string | null>(null);
  const unitName = useMemo(
    () => new Map((units.data ?? []).map((u) => [u.id, unitLabel(u, units.data ?? [])])),
    [units.data],
  );
  const surveyName = useMemo(() => new Map((surveys.data ?? []).map((s) => [s.id, s.name])), [surveys.data]);
  const open = links.data?.find((link) => link.id === openId) ?? null;

  useEffect(() => {
    document.title = `${t('links.title')} — ${t('app.name')}`;
  }, [t]);

  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>{t('links.title')}</Title>
        <Text c="dimmed">{t('links.subtitle')}</Text>
      </div>
      <CreateForm />
      {links.error && <ProblemAlert error={links.error} onRetry={() => links.refetch()} />}
      {update.error && <ProblemAlert error={update.error} />}
      <Paper withBorder radius="md">
        {links.isPending ? (
          <Skeleton h={160} />
        ) : links.data && links.data.length === 0 ? (
          <Text p="lg" c="dimmed">
            {t('links.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('links.name')}</Table.Th>
                  <Table.Th>{t('links.unit')}</Table.Th>
                  <Table.Th>{t('links.kind')}</Table.Th>
                  <Table.Th ta="right">{t('links.answers')}</Table.Th>
                  <Table.Th>{t('links.active')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {links.data?.map((link) => (
                  <Table.Tr key={link.id}>
                    <Table.Td>
                      <Text fw={500}>{link.name}</Text>
                      <Text size="xs" c="dimmed">
                        {surveyName.get(link.surveyId) ?? ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {link.unitId ? (unitName.get(link.unitId) ?? '—') : t('links.wholeOrg')}
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        variant="light"
                        color={link.kind === 'widget' ? 'grape' : link.kind === 'qr' ? 'blue' : 'gray'}
                      >
                        {t(KIND_LABEL[link.kind])}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="right">{link.answers}</Table.Td>
                    <Table.Td>
                      <Switch
                        checked={link.active}
                        aria-label={t('links.activeFor', { name: link.name })}
                        onChange={(event) =>
                          update.mutate({ id: link.id, active: event.currentTarget.checked })
                        }
                      />
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={t('links.open')}>
                        <ActionIcon
                          variant="light"
                          size="lg"
                          aria-label={t('links.openFor', { name: link.name })}
                          onClick={() => setOpenId(link.id)}
                        >
                          <IconQrcode size={20} />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      {open && <LinkDetails link={open} onClose={() => setOpenId(null)} />}
    </Stack>
  );
}
