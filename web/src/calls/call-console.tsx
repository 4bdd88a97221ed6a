/** @module The operator's console: take the next customer, read the script, record the score or the outcome. */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Kbd,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPhone, IconPhoneCall } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, User } from '../api/types';
import { ProblemAlert } from '../problem-alert';
import {
  type CallCard,
  type CallOutcome,
  type NextCall,
  type OutcomeBody,
  useNextCall,
  useRecordOutcome,
} from './api';
import { scoreKeys } from './score-keys';

const SCORES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
const scoreColor = (s: number) => (s >= 9 ? 'teal' : s >= 7 ? 'yellow' : 'red');

function formatWhen(locale: Locale, iso: string, timeZone: string, withTime = true): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
  }).format(new Date(iso));
}

/** 'YYYY-MM-DDTHH:MM' of the browser's local time an hour from now, for the call-back picker. */
function inAnHour(): string {
  const d = new Date(Date.now() + 3600_000);
  d.setMinutes(0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return (
    !!el &&
    (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
  );
}

export function CallConsole({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const next = useNextCall();
  const record = useRecordOutcome();
  const [current, setCurrent] = useState<NextCall | null>(null);
  const [score, setScore] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [scriptLocale, setScriptLocale] = useState<Locale>(locale);
  const [callBackOpen, setCallBackOpen] = useState(false);
  const [callBackAt, setCallBackAt] = useState(inAnHour);
  const [saved, setSaved] = useState<CallOutcome | null>(null);
  const keys = useMemo(scoreKeys, []);
  const task = current?.task ?? null;
  const busy = next.isPending || record.isPending;

  function show(answer: NextCall) {
    setCurrent(answer);
    setScore(null);
    setReason('');
    setNote('');
    setCallBackOpen(false);
    setCallBackAt(inAnHour());
    setScriptLocale(answer.task?.locale ?? locale);
    record.reset();
  }

  function takeNext() {
    next.mutate(undefined, { onSuccess: show });
  }

  function submit(body: OutcomeBody) {
    if (!task || busy) return;
    record.mutate(
      { taskId: task.id, body: { ...body, ...(note.trim() ? { note: note.trim() } : {}) } },
      {
        onSuccess: () => {
          setSaved(body.outcome);
          takeNext();
        },
      },
    );
  }

  function saveAnswer() {
    if (score === null) return;
    submit({ outcome: 'answered', score, ...(reason.trim() ? { reason: reason.trim() } : {}) });
  }

  // Digits pick the score ("1" "0" = 10), Enter saves it; not while typing in a field or on a focused button.
  const latest = useRef({ saveAnswer, task });
  latest.current = { saveAnswer, task };
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (!latest.current.task || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target))
        return;
      const picked = keys.press(event.key, event.timeStamp);
      if (picked !== null) {
        setScore(picked);
        event.preventDefault();
        return;
      }
      const onControl = (event.target as HTMLElement | null)?.closest('button, a');
      if (event.key === 'Enter' && !onControl) {
        event.preventDefault();
        latest.current.saveAnswer();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keys]);

  const queue = current?.queue;
  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" gap="sm">
          <Stack gap={2}>
            {queue ? (
              <Text size="sm" data-testid="calls-queue">
                {t('calls.queue', { due: queue.dueNow, waiting: queue.waiting })}
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                {t('calls.startHint')}
              </Text>
            )}
            {saved && (
              <Text size="sm" c="teal.8" role="status">
                {t(`callSaved.${saved}`)}
              </Text>
            )}
          </Stack>
          {!task && (
            <Button
              size="xl"
              leftSection={<IconPhoneCall />}
              onClick={takeNext}
              loading={next.isPending}
              fullWidth={false}
              data-autofocus
            >
              {t('calls.next')}
            </Button>
          )}
        </Group>
      </Paper>

      {next.error && <ProblemAlert error={next.error} onRetry={takeNext} />}
      {current && !task && (
        <Alert color="gray" variant="light" title={t('calls.nobody')}>
          {current.queue.nextCallAt
            ? t('calls.nobodyUntil', { at: formatWhen(locale, current.queue.nextCallAt, user.timeZone) })
            : t('calls.nobodyHint')}
        </Alert>
      )}

      {task && (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <CustomerCard task={task} locale={locale} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Paper withBorder p="md" radius="md">
              <Stack gap="sm">
                <Group justify="space-between" gap="xs">
                  <Title order={3} size="h4">
                    {t('calls.script')}
                  </Title>
                  <SegmentedControl
                    size="xs"
                    value={scriptLocale}
                    onChange={(v) => setScriptLocale(v as Locale)}
                    data={[
                      { value: 'ru', label: 'RU' },
                      { value: 'en', label: 'EN' },
                    ]}
                    aria-label={t('calls.scriptLanguage')}
                  />
                </Group>
                <ScriptText task={task} locale={scriptLocale} />
                <Stack gap={6} role="group" aria-labelledby="score-label">
                  <Text id="score-label" size="sm" fw={600}>
                    {t('calls.score')}{' '}
                    <Text span size="xs" c="dimmed" fw={400} visibleFrom="sm">
                      {t('calls.keysHint')} <Kbd size="xs">0</Kbd>–<Kbd size="xs">9</Kbd>,{' '}
                      <Kbd size="xs">1</Kbd>
                      <Kbd size="xs">0</Kbd> = 10, <Kbd size="xs">Enter</Kbd>
                    </Text>
                  </Text>
                  <SimpleGrid cols={{ base: 6, xs: 11 }} spacing={6}>
                    {SCORES.map((s) => (
                      <Button
                        key={s}
                        px={0}
                        size="md"
                        variant={score === s ? 'filled' : 'default'}
                        color={scoreColor(s)}
                        aria-pressed={score === s}
                        onClick={() => setScore(s)}
                        data-testid={`score-${s}`}
                      >
                        {s}
                      </Button>
                    ))}
                  </SimpleGrid>
                </Stack>
                <Textarea
                  label={task.script[scriptLocale].reason}
                  value={reason}
                  onChange={(e) => setReason(e.currentTarget.value)}
                  autosize
                  minRows={2}
                  maxLength={2000}
                />
                <TextInput
                  label={t('calls.note')}
                  description={t('calls.noteHint')}
                  value={note}
                  onChange={(e) => setNote(e.currentTarget.value)}
                  maxLength={2000}
                />
                {record.error && <ProblemAlert error={record.error} />}
                <Button
                  size="md"
                  color="teal"
                  disabled={score === null}
                  loading={record.isPending && record.variables?.body.outcome === 'answered'}
                  onClick={saveAnswer}
                >
                  {score === null ? t('calls.saveNoScore') : t('calls.save', { score })}
                </Button>
                <Text size="sm" c="dimmed">
                  {task.script[scriptLocale].closing}
                </Text>
              </Stack>
            </Paper>
          </Grid.Col>
          <Grid.Col span={12}>
            <Paper withBorder p="md" radius="md">
              <Stack gap="sm">
                <Text size="sm" fw={600}>
                  {t('calls.otherOutcome')}
                </Text>
                <Group gap="xs">
                  {(['no_answer', 'busy', 'refused', 'wrong_number'] as const).map((o) => (
                    <Button
                      key={o}
                      variant="light"
                      color={o === 'refused' || o === 'wrong_number' ? 'red' : 'gray'}
                      disabled={busy}
                      onClick={() => submit({ outcome: o })}
                    >
                      {t(`callOutcome.${o}`)}
                    </Button>
                  ))}
                  <Button
                    variant={callBackOpen ? 'filled' : 'light'}
                    color="blue"
                    disabled={busy}
                    aria-expanded={callBackOpen}
                    onClick={() => setCallBackOpen((o) => !o)}
                  >
                    {t('callOutcome.call_back')}…
                  </Button>
                </Group>
                {callBackOpen && (
                  <Group align="flex-end" gap="xs">
                    <TextInput
                      type="datetime-local"
                      label={t('calls.callBackAt')}
                      description={t('calls.callBackHint')}
                      value={callBackAt}
                      onChange={(e) => setCallBackAt(e.currentTarget.value)}
                    />
                    <Button
                      color="blue"
                      disabled={!callBackAt || busy}
                      onClick={() =>
                        submit({ outcome: 'call_back', callBackAt: new Date(callBackAt).toISOString() })
                      }
                    >
                      {t('calls.callBackSave')}
                    </Button>
                  </Group>
                )}
              </Stack>
            </Paper>
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}

function ScriptText({ task, locale }: { task: CallCard; locale: Locale }) {
  const { t } = useTranslation();
  const s = task.script[locale];
  return (
    <Stack gap={6} lang={locale}>
      <Text size="sm">{s.greeting}</Text>
      <Text size="sm">{s.consent}</Text>
      <Text fw={700} size="md" data-testid="call-question">
        {s.question}
      </Text>
      <Text size="sm" c="dimmed">
        {s.scale}
      </Text>
      <Text size="xs" c="dimmed">
        {t('calls.ifRefused')}: {s.refusal} · {t('calls.ifBusy')}: {s.callBack}
      </Text>
    </Stack>
  );
}

function CustomerCard({ task, locale }: { task: CallCard; locale: Locale }) {
  const { t } = useTranslation();
  const zone = task.unit?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Stack gap={2}>
          <Title order={2} size="h3" data-testid="call-customer">
            {task.customer.name ?? t('calls.noName')}
          </Title>
          {task.customer.phone ? (
            <Anchor href={`tel:${task.customer.phone}`} size="xl" fw={600} data-testid="call-phone">
              <Group gap={6} component="span" wrap="nowrap">
                <IconPhone size={20} />
                {task.customer.phone}
              </Group>
            </Anchor>
          ) : (
            <Text c="dimmed">{t('calls.noPhone')}</Text>
          )}
        </Stack>
        <Group gap="xs">
          {task.unit && (
            <Badge variant="light" color="gray">
              {task.unit.name} · {t('calls.localTime', { time: task.unit.localTime })}
            </Badge>
          )}
          <Badge variant="light">{(task.customer.locale ?? task.locale).toUpperCase()}</Badge>
          <Badge variant="light" color={task.attempts > 0 ? 'orange' : 'gray'}>
            {t('calls.attempt', { n: task.attempts + 1, max: task.maxAttempts })}
          </Badge>
          {task.lastOutcome === 'call_back' && <Badge color="blue">{t('calls.promisedCallBack')}</Badge>}
        </Group>
        <Text size="xs" c="dimmed">
          {t('calls.survey')}: {task.survey.name}
        </Text>
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('calls.visits')}
          </Text>
          {task.visits.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('calls.noVisits')}
            </Text>
          )}
          {task.visits.map((v) => (
            <Text size="sm" key={`${v.at}-${v.unitName}`}>
              {formatWhen(locale, v.at, zone, false)} · {v.unitName ?? '—'}
              {v.service ? ` · ${v.service}` : ''}
              {v.employeeName ? ` · ${v.employeeName}` : ''}
            </Text>
          ))}
        </Stack>
        {task.history.length > 0 && (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {t('calls.history')}
            </Text>
            {task.history.map((h) => (
              <Text size="sm" key={h.at}>
                {formatWhen(locale, h.at, zone)} · {t(`callOutcome.${h.outcome}`)}
                {h.callBackAt ? ` → ${formatWhen(locale, h.callBackAt, zone)}` : ''}
                {h.operatorName ? ` · ${h.operatorName}` : ''}
                {h.note ? ` — ${h.note}` : ''}
              </Text>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
