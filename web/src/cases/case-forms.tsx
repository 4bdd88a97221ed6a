/** @module What a person does on a case: log a contact attempt, resolve it, change its status, assign it, add a note. */
import {
  Button,
  Group,
  NativeSelect,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api/client';
import type { Locale } from '../api/types';
import { ProblemAlert } from '../problem-alert';
import {
  ATTEMPT_CHANNELS,
  ATTEMPT_OUTCOMES,
  type AttemptChannel,
  type AttemptOutcome,
  type CaseStatus,
  type CaseView,
  isClosed,
  type Named,
  useAddAttempt,
  useAddNote,
  usePatchCase,
  useRootCauses,
} from './api';

/** The message the API gave for one field (problem+json `errors`), to show beside it. */
export function fieldError(error: unknown, ...paths: string[]): string | undefined {
  if (!(error instanceof ProblemError)) return undefined;
  return error.problem.errors?.find((e) => paths.includes(e.path))?.message;
}

/** Problems that no field shows: the alert above the form. */
function otherProblem(error: unknown, shown: string[]): unknown {
  if (!(error instanceof ProblemError)) return error;
  const errors = error.problem.errors ?? [];
  return errors.length > 0 && errors.every((e) => shown.includes(e.path)) ? null : error;
}

export function AttemptForm({ view, onDone }: { view: CaseView; onDone?: () => void }) {
  const { t } = useTranslation();
  const attempt = useAddAttempt(view.id);
  const [channel, setChannel] = useState<AttemptChannel>('phone');
  const [outcome, setOutcome] = useState<AttemptOutcome>('reached');
  const [note, setNote] = useState('');
  const [callbackAt, setCallbackAt] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    attempt.mutate(
      {
        channel,
        outcome,
        note: note.trim() || undefined,
        callbackAt: outcome === 'callback' && callbackAt ? new Date(callbackAt).toISOString() : undefined,
      },
      {
        onSuccess: () => {
          setNote('');
          setCallbackAt('');
          onDone?.();
        },
      },
    );
  }

  const problem = otherProblem(attempt.error, ['callbackAt', 'outcome', 'channel', 'note']);
  return (
    <form onSubmit={submit} aria-label={t('caseAttempt.title')}>
      <Stack gap="sm">
        <SegmentedControl
          fullWidth
          value={channel}
          onChange={(v) => setChannel(v as AttemptChannel)}
          data={ATTEMPT_CHANNELS.map((c) => ({ value: c, label: t(`caseChannel.${c}`) }))}
          aria-label={t('caseAttempt.channelLabel')}
        />
        <NativeSelect
          label={t('caseAttempt.outcomeLabel')}
          value={outcome}
          onChange={(e) => setOutcome(e.currentTarget.value as AttemptOutcome)}
          data={ATTEMPT_OUTCOMES.map((o) => ({ value: o, label: t(`caseOutcome.${o}`) }))}
          error={fieldError(attempt.error, 'outcome')}
          data-testid="attempt-outcome"
        />
        {outcome === 'callback' && (
          <TextInput
            type="datetime-local"
            label={t('caseAttempt.callbackAt')}
            value={callbackAt}
            onChange={(e) => setCallbackAt(e.currentTarget.value)}
            required
            error={fieldError(attempt.error, 'callbackAt')}
          />
        )}
        <TextInput
          label={t('caseAttempt.note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          maxLength={5000}
          error={fieldError(attempt.error, 'note')}
        />
        {problem !== null && attempt.isError && <ProblemAlert error={problem} />}
        <Button type="submit" loading={attempt.isPending} data-testid="attempt-submit">
          {t('caseAttempt.submit')}
        </Button>
      </Stack>
    </form>
  );
}

const roublesToMinor = (value: number | string): number | null => {
  if (value === '' || value === null) return null;
  const n = typeof value === 'number' ? value : Number(String(value).replace(',', '.'));
  return Number.isFinite(n) ? Math.round(n * 100) : null;
};

export function ResolveForm({
  view,
  locale,
  onDone,
}: {
  view: CaseView;
  locale: Locale;
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  const patch = usePatchCase(view.id);
  const causes = useRootCauses();
  const [rootCause, setRootCause] = useState(view.rootCause ?? '');
  const [actionTaken, setActionTaken] = useState(view.actionTaken ?? '');
  const [cost, setCost] = useState<number | string>(
    view.actionCostMinor === null ? '' : view.actionCostMinor / 100,
  );
  const [outcome, setOutcome] = useState(view.outcome ?? '');
  const [missing, setMissing] = useState(false);

  function close(status: 'resolved' | 'unresolved') {
    if (status === 'resolved' && !rootCause) {
      setMissing(true);
      return;
    }
    setMissing(false);
    patch.mutate(
      {
        status,
        rootCause: rootCause || null,
        actionTaken: actionTaken.trim() || null,
        actionCostMinor: roublesToMinor(cost),
        outcome: outcome.trim() || null,
      },
      { onSuccess: () => onDone?.() },
    );
  }

  const fields = ['rootCause', 'actionTaken', 'actionCostMinor', 'outcome', 'status'];
  const problem = otherProblem(patch.error, fields);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        close('resolved');
      }}
      aria-label={t('caseResolve.title')}
    >
      <Stack gap="sm">
        <NativeSelect
          label={t('caseResolve.rootCause')}
          value={rootCause}
          onChange={(e) => setRootCause(e.currentTarget.value)}
          data={[
            { value: '', label: t('caseResolve.pickCause') },
            ...(causes.data ?? []).map((c) => ({ value: c.id, label: c.name[locale] || c.name.en || c.id })),
          ]}
          error={missing ? t('caseResolve.causeNeeded') : fieldError(patch.error, 'rootCause')}
          data-testid="resolve-cause"
        />
        <Textarea
          label={t('caseResolve.actionTaken')}
          value={actionTaken}
          onChange={(e) => setActionTaken(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={5000}
          error={fieldError(patch.error, 'actionTaken')}
          data-testid="resolve-action"
        />
        <NumberInput
          label={t('caseResolve.cost')}
          description={t('caseResolve.costHint')}
          value={cost}
          onChange={setCost}
          min={0}
          decimalScale={2}
          thousandSeparator=" "
          suffix=" ₽"
          error={fieldError(patch.error, 'actionCostMinor')}
          data-testid="resolve-cost"
        />
        <Textarea
          label={t('caseResolve.outcome')}
          value={outcome}
          onChange={(e) => setOutcome(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={5000}
          error={fieldError(patch.error, 'outcome')}
        />
        {fieldError(patch.error, 'status') && (
          <Text c="red" size="sm">
            {fieldError(patch.error, 'status')}
          </Text>
        )}
        {problem !== null && patch.isError && <ProblemAlert error={problem} />}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          <Button type="submit" color="teal" loading={patch.isPending} data-testid="resolve-submit">
            {t('caseResolve.resolved')}
          </Button>
          <Button variant="light" color="gray" loading={patch.isPending} onClick={() => close('unresolved')}>
            {t('caseResolve.unresolved')}
          </Button>
        </SimpleGrid>
      </Stack>
    </form>
  );
}

const FORWARD: Record<CaseStatus, CaseStatus[]> = {
  new: ['in_progress', 'contacted'],
  in_progress: ['contacted'],
  contacted: [],
  resolved: ['in_progress'],
  unresolved: ['in_progress'],
};

/** Moves a case forward by hand (resolving goes through the resolve form); managers may reopen a closed case. */
export function StatusForm({ view, manager }: { view: CaseView; manager: boolean }) {
  const { t } = useTranslation();
  const patch = usePatchCase(view.id);
  const options = isClosed(view.status) && !manager ? [] : FORWARD[view.status];
  const [to, setTo] = useState<CaseStatus | ''>('');
  if (options.length === 0) return null;
  return (
    <Group align="flex-end" gap="xs" wrap="nowrap">
      <NativeSelect
        label={isClosed(view.status) ? t('cases.reopen') : t('cases.moveTo')}
        value={to}
        onChange={(e) => setTo(e.currentTarget.value as CaseStatus)}
        data={[{ value: '', label: '—' }, ...options.map((s) => ({ value: s, label: t(`caseStatus.${s}`) }))]}
        error={fieldError(patch.error, 'status')}
        style={{ flex: 1 }}
      />
      <Button
        variant="light"
        disabled={!to}
        loading={patch.isPending}
        onClick={() => to && patch.mutate({ status: to }, { onSuccess: () => setTo('') })}
      >
        {t('cases.apply')}
      </Button>
    </Group>
  );
}

export function AssignForm({ view, people }: { view: CaseView; people: Named[] }) {
  const { t } = useTranslation();
  const patch = usePatchCase(view.id);
  const [to, setTo] = useState('');
  return (
    <Stack gap={4}>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <NativeSelect
          label={t('cases.assignTo')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          data={[
            { value: '', label: '—' },
            ...people
              .filter((p) => p.id !== view.owner?.id)
              .map((p) => ({ value: p.id, label: p.name ?? p.id.slice(0, 8) })),
          ]}
          error={fieldError(patch.error, 'ownerUserId')}
          style={{ flex: 1 }}
        />
        <Button
          variant="light"
          disabled={!to}
          loading={patch.isPending}
          onClick={() => patch.mutate({ ownerUserId: to }, { onSuccess: () => setTo('') })}
        >
          {t('cases.assign')}
        </Button>
      </Group>
      {patch.isError && !fieldError(patch.error, 'ownerUserId') && <ProblemAlert error={patch.error} />}
    </Stack>
  );
}

export function NoteForm({ view }: { view: CaseView }) {
  const { t } = useTranslation();
  const note = useAddNote(view.id);
  const [text, setText] = useState('');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim()) note.mutate(text.trim(), { onSuccess: () => setText('') });
      }}
    >
      <Stack gap="xs">
        <Textarea
          label={t('cases.noteLabel')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={5000}
          error={fieldError(note.error, 'text')}
        />
        <Button
          type="submit"
          variant="light"
          disabled={!text.trim()}
          loading={note.isPending}
          w="fit-content"
        >
          {t('cases.noteSubmit')}
        </Button>
      </Stack>
    </form>
  );
}
