/** @module Small pieces every case screen shows the same way: the score, the status, the due time, urgent and overdue marks. */
import { Badge, Group, Text, ThemeIcon } from '@mantine/core';
import { IconAlarm, IconFlame } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { formatInstant } from '../format';
import { type CaseStatus, type CaseView, isClosed } from './api';

export function scoreColor(score: number): string {
  if (score >= 9) return 'teal';
  if (score >= 7) return 'yellow';
  return 'red';
}

export function ScoreBadge({ score, size = 'lg' }: { score: number; size?: 'md' | 'lg' | 'xl' }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={scoreColor(score)}
      size={size}
      variant="filled"
      radius="sm"
      aria-label={t('cases.scoreLabel', { score })}
      data-testid="case-score"
      style={{ minWidth: 36 }}
    >
      {score}
    </Badge>
  );
}

const STATUS_COLOR: Record<CaseStatus, string> = {
  new: 'blue',
  in_progress: 'violet',
  contacted: 'cyan',
  resolved: 'teal',
  unresolved: 'gray',
};

export function StatusBadge({ status }: { status: CaseStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-testid="case-status">
      {t(`caseStatus.${status}`)}
    </Badge>
  );
}

/** Urgent and overdue, visible at a glance (colour and an icon and a word, never colour alone). */
export function CaseMarks({
  view,
}: {
  view: Pick<CaseView, 'urgent' | 'overdue' | 'status' | 'escalationStep'>;
}) {
  const { t } = useTranslation();
  const open = !isClosed(view.status);
  return (
    <>
      {view.urgent && open && (
        <Badge color="red" variant="filled" leftSection={<IconFlame size={12} />} data-testid="case-urgent">
          {t('cases.urgent')}
        </Badge>
      )}
      {view.overdue && open && (
        <Badge
          color="orange"
          variant="filled"
          leftSection={<IconAlarm size={12} />}
          data-testid="case-overdue"
        >
          {t('cases.overdue')}
        </Badge>
      )}
      {view.escalationStep > 0 && open && (
        <Badge color="grape" variant="light">
          {t(`cases.escalated${view.escalationStep > 1 ? 'Top' : 'Middle'}`)}
        </Badge>
      )}
    </>
  );
}

export function DueText({
  view,
  locale,
  timeZone,
}: {
  view: Pick<CaseView, 'dueAt' | 'overdue' | 'status' | 'closedAt'>;
  locale: Locale;
  timeZone: string;
}) {
  const { t } = useTranslation();
  if (isClosed(view.status)) {
    return (
      <Text size="sm" c="dimmed">
        {view.closedAt ? t('cases.closedAt', { at: formatInstant(locale, view.closedAt, timeZone) }) : ''}
      </Text>
    );
  }
  return (
    <Group gap={4} wrap="nowrap">
      {view.overdue && (
        <ThemeIcon color="orange" variant="transparent" size="sm">
          <IconAlarm size={14} />
        </ThemeIcon>
      )}
      <Text size="sm" c={view.overdue ? 'orange.8' : undefined} fw={view.overdue ? 600 : undefined}>
        {t('cases.dueAt', { at: formatInstant(locale, view.dueAt, timeZone) })}
      </Text>
    </Group>
  );
}

/** A case's number as people say it on the phone: "#1042". */
export const caseNumber = (n: number) => `#${n}`;
