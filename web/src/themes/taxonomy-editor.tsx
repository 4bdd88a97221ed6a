/** @module The taxonomy editor: names and keywords of each theme, a live preview on the latest answers, save and re-tag. */
import {
  Alert,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api/client';
import type { Locale, User } from '../api/types';
import { ProblemAlert } from '../problem-alert';
import { useSearchParams } from '../router';
import { type EditableTheme, type Preview, usePreview, useSaveTaxonomy, useTaxonomy } from './api';

const splitKeywords = (text: string) =>
  text
    .split(/[,\n]/)
    .map((k) => k.trim())
    .filter(Boolean);

interface Draft extends EditableTheme {
  /** The keywords as typed (kept as text so a trailing comma does not vanish while typing). */
  text: string;
}

const draftOf = (t: EditableTheme): Draft => ({ ...t, text: t.keywords.join(', ') });

function PreviewCell({ p }: { p: Preview['themes'][number] | undefined }) {
  const { t } = useTranslation();
  if (!p) return null;
  const changed = p.before !== p.after;
  return (
    <Stack gap={4} data-testid="preview-cell">
      <Group gap={6}>
        <Text size="sm">
          {t('themesEditor.before')}: <b>{p.before}</b>
        </Text>
        <Text size="sm">→</Text>
        <Text size="sm" c={changed ? 'blue.8' : undefined}>
          {t('themesEditor.after')}: <b data-testid="preview-after">{p.after}</b>
        </Text>
      </Group>
      {p.added.map((a) => (
        <Text key={`a${a.id}`} size="xs" c="teal.8" style={{ overflowWrap: 'anywhere' }}>
          + {t('themesEditor.adds')}: {a.reason.slice(0, 160)}
        </Text>
      ))}
      {p.dropped.map((a) => (
        <Text key={`d${a.id}`} size="xs" c="red.8" style={{ overflowWrap: 'anywhere' }}>
          − {t('themesEditor.drops')}: {a.reason.slice(0, 160)}
        </Text>
      ))}
    </Stack>
  );
}

export function TaxonomyEditor({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const taxonomy = useTaxonomy();
  const preview = usePreview();
  const save = useSaveTaxonomy();
  const [search, setSearch] = useSearchParams();
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [savedNote, setSavedNote] = useState(false);
  const canEdit = user.role === 'owner' || user.role === 'admin';

  useEffect(() => {
    if (taxonomy.data && drafts === null) setDrafts(taxonomy.data.themes.map(draftOf));
  }, [taxonomy.data, drafts]);

  // A candidate sent here ("Make a theme") arrives as a new theme with its word.
  const add = search.get('add');
  useEffect(() => {
    if (!add || drafts === null) return;
    setDrafts([...drafts, { name: { ru: add, en: add }, keywords: [add], text: add, enabled: true }]);
    setSearch({ add: null });
  }, [add, drafts, setSearch]);

  if (taxonomy.isError)
    return <ProblemAlert error={taxonomy.error} onRetry={() => void taxonomy.refetch()} />;
  if (!drafts)
    return (
      <Center p="xl">
        <Loader />
      </Center>
    );

  const themes = (): EditableTheme[] => drafts.map((d) => ({ ...d, keywords: splitKeywords(d.text) }));
  const patch = (i: number, p: Partial<Draft>) => {
    setSavedNote(false);
    setDrafts(drafts.map((d, k) => (k === i ? { ...d, ...p } : d)));
  };
  const conflict = save.error instanceof ProblemError && save.error.status === 409;

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('themesEditor.intro')}
      </Text>
      {!canEdit && <Alert color="gray">{t('themesEditor.readOnly')}</Alert>}
      {conflict ? (
        <Alert color="orange" data-testid="save-conflict">
          <Group justify="space-between">
            <Text size="sm">{t('themesEditor.conflict')}</Text>
            <Button
              size="xs"
              variant="light"
              onClick={() => {
                save.reset();
                setDrafts(null);
                void taxonomy.refetch();
              }}
            >
              {t('themesEditor.reload')}
            </Button>
          </Group>
        </Alert>
      ) : (
        save.isError && <ProblemAlert error={save.error} />
      )}
      {savedNote && (
        <Alert color="teal" data-testid="saved">
          {t('themesEditor.saved')}
        </Alert>
      )}
      {preview.isError && <ProblemAlert error={preview.error} />}
      {preview.data && (
        <Text size="sm" fw={600}>
          {t('themesEditor.previewTitle', { count: preview.data.sample })}
        </Text>
      )}
      <Card withBorder radius="md" p={0}>
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="sm" data-testid="taxonomy">
            <Table.Tbody>
              {drafts.map((d, i) => (
                <Table.Tr key={d.id ?? `new-${i}`} data-testid="taxonomy-theme">
                  <Table.Td w={260}>
                    <Stack gap={6}>
                      <TextInput
                        size="xs"
                        label={t('themesEditor.nameRu')}
                        value={d.name.ru}
                        disabled={!canEdit}
                        onChange={(e) => patch(i, { name: { ...d.name, ru: e.currentTarget.value } })}
                      />
                      <TextInput
                        size="xs"
                        label={t('themesEditor.nameEn')}
                        value={d.name.en}
                        disabled={!canEdit}
                        onChange={(e) => patch(i, { name: { ...d.name, en: e.currentTarget.value } })}
                      />
                      <Group gap="xs">
                        <Switch
                          size="xs"
                          label={t('themesEditor.enabled')}
                          checked={d.enabled}
                          disabled={!canEdit}
                          onChange={(e) => patch(i, { enabled: e.currentTarget.checked })}
                        />
                        {!d.id && <Badge size="xs">{t('themesEditor.newTheme')}</Badge>}
                        {canEdit && (
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            color="red"
                            onClick={() => setDrafts(drafts.filter((_, k) => k !== i))}
                          >
                            {t('themesEditor.remove')}
                          </Button>
                        )}
                      </Group>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Textarea
                      size="xs"
                      label={t('themesEditor.keywords')}
                      autosize
                      minRows={2}
                      maxRows={6}
                      value={d.text}
                      disabled={!canEdit}
                      onChange={(e) => patch(i, { text: e.currentTarget.value })}
                      aria-label={`${t('themesEditor.keywords')}: ${d.name[locale]}`}
                    />
                  </Table.Td>
                  <Table.Td w={300}>
                    <PreviewCell p={preview.data?.themes[i]} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      {canEdit && (
        <Group>
          <Button
            variant="default"
            onClick={() =>
              setDrafts([...drafts, { name: { ru: '', en: '' }, keywords: [], text: '', enabled: true }])
            }
          >
            {t('themesEditor.add')}
          </Button>
          <Button
            variant="light"
            loading={preview.isPending}
            onClick={() => preview.mutate(themes())}
            data-testid="preview"
          >
            {t('themesEditor.preview')}
          </Button>
          <Button
            loading={save.isPending}
            data-testid="save-themes"
            onClick={() =>
              save.mutate(
                { version: taxonomy.data!.version, themes: themes() },
                {
                  onSuccess: (saved) => {
                    setDrafts(saved.themes.map(draftOf));
                    setSavedNote(true);
                    preview.reset();
                  },
                },
              )
            }
          >
            {t('themesEditor.save')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
