/** @module The playbook editor: rules, escalation, business calendar, re-survey, root causes; and "what would happen". */
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Center,
  Checkbox,
  Chip,
  Group,
  Loader,
  MultiSelect,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api/client';
import type { Locale, User } from '../api/types';
import { useCaseUnits } from '../cases/api';
import { formatInstant } from '../format';
import { ProblemAlert } from '../problem-alert';
import { ProcedureCard } from '../procedure/procedure-card';
import {
  ANSWER_CHANNELS,
  type AnswerChannel,
  LEVELS,
  type Level,
  type Playbook,
  type PlaybookRule,
  type RuleAction,
  TEMPLATES,
  useCheckPlaybook,
  usePlaybook,
  useSavePlaybook,
} from './api';

/** Field errors of the last save, by path inside the playbook ('rules.0.match.scoreMin'). */
type Errors = Map<string, string>;

function errorsOf(error: unknown): Errors {
  const map: Errors = new Map();
  if (!(error instanceof ProblemError)) return map;
  for (const e of error.problem.errors ?? []) map.set(e.path.replace(/^playbook\./, ''), e.message);
  return map;
}

function Section({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <Card withBorder radius="md" padding="md">
      <Stack gap="sm">
        <Stack gap={0}>
          <Title order={2} size="h4">
            {title}
          </Title>
          {hint && (
            <Text size="sm" c="dimmed">
              {hint}
            </Text>
          )}
        </Stack>
        {children}
      </Stack>
    </Card>
  );
}

const numberOr = (v: number | string, fallback: number) =>
  typeof v === 'number' ? v : Number(v) || fallback;

export function PlaybookPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const state = usePlaybook();
  const save = useSavePlaybook();
  const [draft, setDraft] = useState<Playbook | null>(null);
  const [version, setVersion] = useState(0);
  const editable = user.role === 'owner' || user.role === 'admin';
  useEffect(() => {
    document.title = `${t('playbookEditor.title')} — ${t('app.name')}`;
  }, [t]);
  useEffect(() => {
    if (state.data && draft === null) {
      setDraft(structuredClone(state.data.playbook));
      setVersion(state.data.version);
    }
  }, [state.data, draft]);

  const errors = useMemo(() => errorsOf(save.error), [save.error]);
  const conflict = save.error instanceof ProblemError && save.error.status === 409;

  if (state.isPending || (state.data && !draft)) {
    return (
      <Center p="xl">
        <Loader />
      </Center>
    );
  }
  if (state.isError) return <ProblemAlert error={state.error} onRetry={() => void state.refetch()} />;
  if (!draft) return null;

  const update = (change: (p: Playbook) => void) => {
    setDraft((current) => {
      if (!current) return current;
      const next = structuredClone(current);
      change(next);
      return next;
    });
  };

  function reload() {
    save.reset();
    setDraft(null);
    void state.refetch();
  }

  const err = (path: string) => errors.get(path);

  const body = (
    <Stack gap="md">
      <RulesSection draft={draft} update={update} err={err} editable={editable} />
      <Section title={t('playbookEditor.escalation')} hint={t('playbookEditor.escalationHint')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput
            label={t('playbookEditor.toMiddle')}
            value={draft.escalation.toMiddleAfterHours}
            min={0}
            onChange={(v) =>
              update((p) => {
                p.escalation.toMiddleAfterHours = numberOr(v, 0);
              })
            }
            error={err('escalation.toMiddleAfterHours')}
            disabled={!editable}
          />
          <NumberInput
            label={t('playbookEditor.toTop')}
            value={draft.escalation.toTopAfterHours}
            min={0}
            onChange={(v) =>
              update((p) => {
                p.escalation.toTopAfterHours = numberOr(v, 0);
              })
            }
            error={err('escalation.toTopAfterHours')}
            disabled={!editable}
          />
        </SimpleGrid>
      </Section>
      <CalendarSection draft={draft} update={update} err={err} editable={editable} />
      <Section title={t('playbookEditor.resurvey')} hint={t('playbookEditor.resurveyHint')}>
        <Group align="flex-end">
          <Switch
            label={t('playbookEditor.resurveyOn')}
            checked={draft.resurveyAfterDays !== null}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              update((p) => {
                p.resurveyAfterDays = on ? 7 : null;
              });
            }}
            disabled={!editable}
          />
          {draft.resurveyAfterDays !== null && (
            <NumberInput
              label={t('playbookEditor.resurveyDays')}
              value={draft.resurveyAfterDays}
              min={1}
              max={365}
              onChange={(v) =>
                update((p) => {
                  p.resurveyAfterDays = numberOr(v, 7);
                })
              }
              error={err('resurveyAfterDays')}
              disabled={!editable}
              w={200}
            />
          )}
        </Group>
      </Section>
      <RootCausesSection draft={draft} update={update} err={err} editable={editable} />
    </Stack>
  );

  return (
    <Stack gap="md" maw={1400}>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Stack gap={2}>
          <Title order={1} size="h2">
            {t('playbookEditor.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {state.data?.isDefault
              ? t('playbookEditor.default')
              : t('playbookEditor.version', {
                  version,
                  at: state.data?.updatedAt
                    ? formatInstant(user.locale, state.data.updatedAt, user.timeZone)
                    : '',
                })}
          </Text>
        </Stack>
        {editable && (
          <Button
            onClick={() =>
              save.mutate(
                { playbook: draft, version },
                {
                  onSuccess: (saved) => {
                    setVersion(saved.version);
                    setDraft(structuredClone(saved.playbook));
                  },
                },
              )
            }
            loading={save.isPending}
            data-testid="playbook-save"
          >
            {t('playbookEditor.save')}
          </Button>
        )}
      </Group>
      {!editable && <Alert variant="light">{t('playbookEditor.readOnly')}</Alert>}
      <ProcedureCard locale={user.locale} />
      {conflict && (
        <Alert
          color="orange"
          variant="light"
          title={t('playbookEditor.conflictTitle')}
          data-testid="playbook-conflict"
        >
          <Stack gap="xs">
            <Text size="sm">{t('playbookEditor.conflict')}</Text>
            <Button size="xs" variant="light" color="orange" onClick={reload} w="fit-content">
              {t('playbookEditor.reload')}
            </Button>
          </Stack>
        </Alert>
      )}
      {save.isSuccess && !save.isPending && (
        <Alert color="teal" variant="light" role="status">
          {t('playbookEditor.saved', { version })}
        </Alert>
      )}
      {save.isError && !conflict && (
        <Alert color="red" variant="light" title={t('playbookEditor.invalid')}>
          {errors.size === 0 ? (
            <ProblemAlert error={save.error} />
          ) : (
            <Stack gap={2}>
              <Text size="sm">{t('playbookEditor.seeFields')}</Text>
              {[...errors].map(([path, message]) => (
                <Text size="sm" key={path}>
                  {path}: {message}
                </Text>
              ))}
            </Stack>
          )}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="md">
        <div style={{ gridColumn: 'span 2' }}>{body}</div>
        <CheckPanel draft={draft} timeZone={user.timeZone} />
      </SimpleGrid>
    </Stack>
  );
}

interface SectionProps {
  draft: Playbook;
  update: (change: (p: Playbook) => void) => void;
  err: (path: string) => string | undefined;
  editable: boolean;
}

function newRule(n: number): PlaybookRule {
  return {
    id: `rule-${Date.now().toString(36)}-${n}`,
    name: { ru: 'Новое правило', en: 'New rule' },
    enabled: true,
    match: { scoreMin: 0, scoreMax: 6 },
    actions: [{ kind: 'open_case', level: 'frontline', dueHours: 48 }],
  };
}

function RulesSection({ draft, update, err, editable }: SectionProps) {
  const { t } = useTranslation();
  const units = useCaseUnits();
  const unitOptions = (units.data ?? []).map((u) => ({ value: u.id, label: u.name }));
  return (
    <Section title={t('playbookEditor.rules')} hint={t('playbookEditor.rulesHint')}>
      {draft.rules.map((rule, i) => (
        <Card
          key={rule.id}
          withBorder
          radius="sm"
          padding="sm"
          bg={rule.enabled ? undefined : 'gray.0'}
          data-testid="playbook-rule"
        >
          <Stack gap="xs">
            <Group justify="space-between" wrap="nowrap">
              <Switch
                label={<Text fw={600}>{rule.name.ru || rule.name.en || rule.id}</Text>}
                checked={rule.enabled}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  update((p) => {
                    (p.rules[i] as PlaybookRule).enabled = on;
                  });
                }}
                disabled={!editable}
              />
              {editable && (
                <Group gap={2} wrap="nowrap">
                  <Tooltip label={t('playbookEditor.up')}>
                    <ActionIcon
                      variant="subtle"
                      disabled={i === 0}
                      aria-label={t('playbookEditor.up')}
                      onClick={() => update((p) => void p.rules.splice(i - 1, 0, ...p.rules.splice(i, 1)))}
                    >
                      <IconArrowUp size={16} />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label={t('playbookEditor.down')}>
                    <ActionIcon
                      variant="subtle"
                      disabled={i === draft.rules.length - 1}
                      aria-label={t('playbookEditor.down')}
                      onClick={() => update((p) => void p.rules.splice(i + 1, 0, ...p.rules.splice(i, 1)))}
                    >
                      <IconArrowDown size={16} />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label={t('playbookEditor.removeRule')}>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('playbookEditor.removeRule')}
                      onClick={() => update((p) => void p.rules.splice(i, 1))}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Group>
              )}
            </Group>
            {(err(`rules.${i}`) ?? err(`rules.${i}.id`)) && (
              <Text c="red" size="sm">
                {err(`rules.${i}`) ?? err(`rules.${i}.id`)}
              </Text>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
              <TextInput
                label={t('playbookEditor.nameRu')}
                value={rule.name.ru}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  update((p) => {
                    (p.rules[i] as PlaybookRule).name.ru = v;
                  });
                }}
                error={err(`rules.${i}.name.ru`)}
                disabled={!editable}
              />
              <TextInput
                label={t('playbookEditor.nameEn')}
                value={rule.name.en}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  update((p) => {
                    (p.rules[i] as PlaybookRule).name.en = v;
                  });
                }}
                error={err(`rules.${i}.name.en`)}
                disabled={!editable}
              />
            </SimpleGrid>
            <Text size="sm" fw={600}>
              {t('playbookEditor.when')}
            </Text>
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
              <NumberInput
                label={t('playbookEditor.scoreMin')}
                value={rule.match.scoreMin ?? ''}
                min={0}
                max={10}
                onChange={(v) =>
                  update((p) => {
                    (p.rules[i] as PlaybookRule).match.scoreMin = v === '' ? undefined : Number(v);
                  })
                }
                error={err(`rules.${i}.match.scoreMin`) ?? err(`rules.${i}.match`)}
                disabled={!editable}
              />
              <NumberInput
                label={t('playbookEditor.scoreMax')}
                value={rule.match.scoreMax ?? ''}
                min={0}
                max={10}
                onChange={(v) =>
                  update((p) => {
                    (p.rules[i] as PlaybookRule).match.scoreMax = v === '' ? undefined : Number(v);
                  })
                }
                error={err(`rules.${i}.match.scoreMax`)}
                disabled={!editable}
              />
              <MultiSelect
                label={t('playbookEditor.channels')}
                placeholder={t('playbookEditor.anyChannel')}
                data={ANSWER_CHANNELS.map((c) => ({ value: c, label: t(`caseAnswerChannel.${c}`) }))}
                value={rule.match.channels ?? []}
                onChange={(v) =>
                  update((p) => {
                    (p.rules[i] as PlaybookRule).match.channels = v.length
                      ? (v as AnswerChannel[])
                      : undefined;
                  })
                }
                error={err(`rules.${i}.match.channels`)}
                disabled={!editable}
                style={{ gridColumn: 'span 2' }}
              />
            </SimpleGrid>
            <TagsInput
              label={t('playbookEditor.reasonWords')}
              description={t('playbookEditor.reasonWordsHint')}
              value={rule.match.reasonWords ?? []}
              onChange={(v) =>
                update((p) => {
                  (p.rules[i] as PlaybookRule).match.reasonWords = v.length ? v : undefined;
                })
              }
              error={err(`rules.${i}.match.reasonWords`)}
              disabled={!editable}
              clearable
            />
            <MultiSelect
              label={t('playbookEditor.units')}
              placeholder={t('playbookEditor.anyUnit')}
              data={unitOptions}
              value={rule.match.unitIds ?? []}
              onChange={(v) =>
                update((p) => {
                  (p.rules[i] as PlaybookRule).match.unitIds = v.length ? v : undefined;
                })
              }
              error={
                err(`rules.${i}.match.unitIds`) ??
                (rule.match.unitIds ?? []).map((_, k) => err(`rules.${i}.match.unitIds.${k}`)).find(Boolean)
              }
              searchable
              disabled={!editable}
            />
            <Text size="sm" fw={600}>
              {t('playbookEditor.thenDo')}
            </Text>
            {rule.actions.map((action, k) => (
              <ActionEditor
                // biome-ignore lint/suspicious/noArrayIndexKey: actions have no id; their place is their identity
                key={k}
                action={action}
                path={`rules.${i}.actions.${k}`}
                err={err}
                editable={editable}
                onChange={(next) =>
                  update((p) => {
                    (p.rules[i] as PlaybookRule).actions[k] = next;
                  })
                }
                onRemove={() => update((p) => void (p.rules[i] as PlaybookRule).actions.splice(k, 1))}
              />
            ))}
            {err(`rules.${i}.actions`) && (
              <Text c="red" size="sm">
                {err(`rules.${i}.actions`)}
              </Text>
            )}
            {editable && (
              <Group gap="xs">
                {(['open_case', 'alert', 'message'] as const).map((kind) => (
                  <Button
                    key={kind}
                    size="compact-sm"
                    variant="light"
                    leftSection={<IconPlus size={14} />}
                    onClick={() =>
                      update(
                        (p) =>
                          void (p.rules[i] as PlaybookRule).actions.push(
                            kind === 'open_case'
                              ? { kind, level: 'frontline', dueHours: 48 }
                              : kind === 'alert'
                                ? { kind, levels: ['middle'] }
                                : { kind, template: 'thanks', text: { ru: '', en: '' } },
                          ),
                      )
                    }
                  >
                    {t(`playbookEditor.action_${kind}`)}
                  </Button>
                ))}
              </Group>
            )}
          </Stack>
        </Card>
      ))}
      {editable && (
        <Button
          variant="light"
          leftSection={<IconPlus size={16} />}
          onClick={() => update((p) => void p.rules.push(newRule(p.rules.length)))}
          w="fit-content"
        >
          {t('playbookEditor.addRule')}
        </Button>
      )}
    </Section>
  );
}

function ActionEditor({
  action,
  path,
  err,
  editable,
  onChange,
  onRemove,
}: {
  action: RuleAction;
  path: string;
  err: (path: string) => string | undefined;
  editable: boolean;
  onChange: (next: RuleAction) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const levelOptions = LEVELS.map((l) => ({ value: l, label: t(`caseLevel.${l}`) }));
  let fields: ReactNode;
  if (action.kind === 'open_case') {
    fields = (
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
        <NativeSelect
          label={t('playbookEditor.level')}
          data={levelOptions}
          value={action.level}
          onChange={(e) => onChange({ ...action, level: e.currentTarget.value as Level })}
          error={err(`${path}.level`)}
          disabled={!editable}
        />
        <NumberInput
          label={t('playbookEditor.dueHours')}
          value={action.dueHours}
          min={1}
          onChange={(v) => onChange({ ...action, dueHours: numberOr(v, 48) })}
          error={err(`${path}.dueHours`)}
          disabled={!editable}
        />
        <Checkbox
          mt={28}
          label={t('playbookEditor.urgent')}
          checked={action.urgent ?? false}
          onChange={(e) => onChange({ ...action, urgent: e.currentTarget.checked || undefined })}
          disabled={!editable}
        />
      </SimpleGrid>
    );
  } else if (action.kind === 'alert') {
    fields = (
      <Stack gap={4}>
        <Text size="sm">{t('playbookEditor.alertLevels')}</Text>
        <Chip.Group
          multiple
          value={action.levels}
          onChange={(v) => onChange({ ...action, levels: v as Level[] })}
        >
          <Group gap="xs">
            {LEVELS.map((l) => (
              <Chip key={l} value={l} disabled={!editable} size="sm">
                {t(`caseLevel.${l}`)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        {err(`${path}.levels`) && (
          <Text c="red" size="sm">
            {err(`${path}.levels`)}
          </Text>
        )}
      </Stack>
    );
  } else {
    fields = (
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <NativeSelect
            label={t('playbookEditor.template')}
            data={TEMPLATES.map((x) => ({ value: x, label: t(`playbookEditor.template_${x}`) }))}
            value={action.template}
            onChange={(e) =>
              onChange({ ...action, template: e.currentTarget.value as (typeof TEMPLATES)[number] })
            }
            disabled={!editable}
          />
          <TextInput
            label={t('playbookEditor.url')}
            value={action.url ?? ''}
            onChange={(e) => onChange({ ...action, url: e.currentTarget.value || undefined })}
            error={err(`${path}.url`)}
            disabled={!editable}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <Textarea
            label={t('playbookEditor.textRu')}
            value={action.text.ru}
            autosize
            minRows={2}
            onChange={(e) => onChange({ ...action, text: { ...action.text, ru: e.currentTarget.value } })}
            error={err(`${path}.text.ru`) ?? err(`${path}.text`)}
            disabled={!editable}
          />
          <Textarea
            label={t('playbookEditor.textEn')}
            value={action.text.en}
            autosize
            minRows={2}
            onChange={(e) => onChange({ ...action, text: { ...action.text, en: e.currentTarget.value } })}
            error={err(`${path}.text.en`)}
            disabled={!editable}
          />
        </SimpleGrid>
      </Stack>
    );
  }
  return (
    <Card withBorder radius="sm" padding="xs" bg="gray.0">
      <Group justify="space-between" wrap="nowrap" mb={4}>
        <Badge variant="light">{t(`playbookEditor.action_${action.kind}`)}</Badge>
        {editable && (
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={t('playbookEditor.removeAction')}
            onClick={onRemove}
          >
            <IconTrash size={14} />
          </ActionIcon>
        )}
      </Group>
      {fields}
      {err(path) && (
        <Text c="red" size="sm">
          {err(path)}
        </Text>
      )}
    </Card>
  );
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

function CalendarSection({ draft, update, err, editable }: SectionProps) {
  const { t } = useTranslation();
  const c = draft.calendar;
  return (
    <Section title={t('playbookEditor.calendar')} hint={t('playbookEditor.calendarHint')}>
      <Switch
        label={t('playbookEditor.calendarOn')}
        checked={c.enabled}
        onChange={(e) => {
          const on = e.currentTarget.checked;
          update((p) => {
            p.calendar.enabled = on;
          });
        }}
        disabled={!editable}
      />
      <Stack gap={4}>
        <Text size="sm">{t('playbookEditor.workdays')}</Text>
        <Chip.Group
          multiple
          value={c.workdays.map(String)}
          onChange={(v) =>
            update((p) => {
              p.calendar.workdays = v.map(Number).sort();
            })
          }
        >
          <Group gap="xs">
            {WEEKDAYS.map((d) => (
              <Chip key={d} value={String(d)} size="sm" disabled={!editable}>
                {t(`playbookEditor.weekday${d}`)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        {(err('calendar.workdays') ?? err('calendar')) && (
          <Text c="red" size="sm">
            {err('calendar.workdays') ?? err('calendar')}
          </Text>
        )}
      </Stack>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
        <TextInput
          type="time"
          label={t('playbookEditor.start')}
          value={c.start}
          onChange={(e) => {
            const v = e.currentTarget.value;
            update((p) => {
              p.calendar.start = v;
            });
          }}
          error={err('calendar.start')}
          disabled={!editable}
        />
        <TextInput
          type="time"
          label={t('playbookEditor.end')}
          value={c.end}
          onChange={(e) => {
            const v = e.currentTarget.value;
            update((p) => {
              p.calendar.end = v;
            });
          }}
          error={err('calendar.end')}
          disabled={!editable}
        />
      </SimpleGrid>
      <TagsInput
        label={t('playbookEditor.holidays')}
        description={t('playbookEditor.holidaysHint')}
        value={c.holidays}
        onChange={(v) =>
          update((p) => {
            p.calendar.holidays = v;
          })
        }
        error={
          err('calendar.holidays') ?? c.holidays.map((_, k) => err(`calendar.holidays.${k}`)).find(Boolean)
        }
        disabled={!editable}
        clearable
      />
    </Section>
  );
}

function RootCausesSection({ draft, update, err, editable }: SectionProps) {
  const { t } = useTranslation();
  return (
    <Section title={t('playbookEditor.rootCauses')} hint={t('playbookEditor.rootCausesHint')}>
      {draft.rootCauses.map((cause, k) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a cause's id is being edited; its place is its identity
        <Group key={k} gap="xs" align="flex-start" wrap="nowrap">
          <TextInput
            aria-label={t('playbookEditor.causeId')}
            placeholder={t('playbookEditor.causeId')}
            value={cause.id}
            onChange={(e) => {
              const v = e.currentTarget.value;
              update((p) => {
                (p.rootCauses[k] as Playbook['rootCauses'][number]).id = v;
              });
            }}
            error={err(`rootCauses.${k}.id`) ?? err(`rootCauses.${k}`)}
            disabled={!editable}
            w={140}
          />
          <TextInput
            aria-label={t('playbookEditor.nameRu')}
            placeholder={t('playbookEditor.nameRu')}
            value={cause.name.ru}
            onChange={(e) => {
              const v = e.currentTarget.value;
              update((p) => {
                (p.rootCauses[k] as Playbook['rootCauses'][number]).name.ru = v;
              });
            }}
            error={err(`rootCauses.${k}.name.ru`)}
            disabled={!editable}
            style={{ flex: 1 }}
          />
          <TextInput
            aria-label={t('playbookEditor.nameEn')}
            placeholder={t('playbookEditor.nameEn')}
            value={cause.name.en}
            onChange={(e) => {
              const v = e.currentTarget.value;
              update((p) => {
                (p.rootCauses[k] as Playbook['rootCauses'][number]).name.en = v;
              });
            }}
            error={err(`rootCauses.${k}.name.en`)}
            disabled={!editable}
            style={{ flex: 1 }}
          />
          {editable && (
            <ActionIcon
              variant="subtle"
              color="red"
              mt={6}
              aria-label={t('playbookEditor.removeCause')}
              onClick={() => update((p) => void p.rootCauses.splice(k, 1))}
            >
              <IconTrash size={16} />
            </ActionIcon>
          )}
        </Group>
      ))}
      {err('rootCauses') && (
        <Text c="red" size="sm">
          {err('rootCauses')}
        </Text>
      )}
      {editable && (
        <Button
          variant="light"
          size="compact-sm"
          leftSection={<IconPlus size={14} />}
          w="fit-content"
          onClick={() => update((p) => void p.rootCauses.push({ id: '', name: { ru: '', en: '' } }))}
        >
          {t('playbookEditor.addCause')}
        </Button>
      )}
    </Section>
  );
}

/** "What would happen": an imagined answer tried on the playbook being edited, nothing stored. */
function CheckPanel({ draft, timeZone }: { draft: Playbook; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const check = useCheckPlaybook();
  const units = useCaseUnits();
  const [score, setScore] = useState<number | string>(2);
  const [reason, setReason] = useState('');
  const [unitId, setUnitId] = useState('');
  const [channel, setChannel] = useState<AnswerChannel | ''>('');
  const r = check.data;
  return (
    <Card withBorder radius="md" padding="md" style={{ alignSelf: 'start', position: 'sticky', top: 76 }}>
      <Stack gap="sm">
        <Stack gap={0}>
          <Title order={2} size="h4">
            {t('playbookEditor.check')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('playbookEditor.checkHint')}
          </Text>
        </Stack>
        <NumberInput label={t('caseCol.score')} value={score} min={0} max={10} onChange={setScore} />
        <TextInput
          label={t('caseCol.reason')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <NativeSelect
          label={t('caseCol.unit')}
          value={unitId}
          onChange={(e) => setUnitId(e.currentTarget.value)}
          data={[
            { value: '', label: '—' },
            ...(units.data ?? []).map((u) => ({ value: u.id, label: u.name })),
          ]}
        />
        <NativeSelect
          label={t('playbookEditor.channel')}
          value={channel}
          onChange={(e) => setChannel(e.currentTarget.value as AnswerChannel | '')}
          data={[
            { value: '', label: '—' },
            ...ANSWER_CHANNELS.map((c) => ({ value: c, label: t(`caseAnswerChannel.${c}`) })),
          ]}
        />
        <Button
          variant="light"
          loading={check.isPending}
          onClick={() =>
            check.mutate({
              score: numberOr(score, 0),
              reason: reason.trim() || undefined,
              unitId: unitId || undefined,
              channel: channel || undefined,
              playbook: draft,
            })
          }
          data-testid="playbook-check"
        >
          {t('playbookEditor.runCheck')}
        </Button>
        {check.isError && <ProblemAlert error={check.error} />}
        {r && (
          <Stack gap={6} data-testid="playbook-check-result">
            <Text size="sm">
              <b>{t('playbookEditor.matched')}:</b>{' '}
              {r.rules.length
                ? r.rules.map((x) => x.name[locale] || x.id).join(', ')
                : t('playbookEditor.none')}
            </Text>
            <Text size="sm">
              <b>{t('playbookEditor.caseOpens')}:</b>{' '}
              {r.case
                ? t('playbookEditor.caseFor', {
                    who: r.case.owner
                      ? (r.case.owner.name ?? t('playbookEditor.unnamed'))
                      : t('cases.nobody'),
                    level: t(`caseLevel.${r.case.level}`),
                    due: formatInstant(locale, r.case.dueAt, timeZone),
                  }) + (r.case.urgent ? ` · ${t('cases.urgent')}` : '')
                : t('playbookEditor.noCase')}
            </Text>
            {r.alerts.map((a) => (
              <Text size="sm" key={a.level}>
                <b>{t('playbookEditor.alerted', { level: t(`caseLevel.${a.level}`) })}:</b>{' '}
                {a.people.length
                  ? a.people.map((p) => p.name ?? t('playbookEditor.unnamed')).join(', ')
                  : t('playbookEditor.nobodyThere')}
              </Text>
            ))}
            {r.messages.map((m) => (
              <Text size="sm" key={m.ruleId}>
                <b>{t('playbookEditor.customerGets')}:</b> {m.text[locale]}
              </Text>
            ))}
            {r.note && (
              <Text size="sm" c="dimmed">
                {r.note}
              </Text>
            )}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
