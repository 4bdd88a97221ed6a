/** @module The period and survey selectors above an overview. */
import { Group, Select, Skeleton } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { Audience, Survey } from '../api/types';
import { type DayRange, type PeriodChoice, PRESETS } from './period';

const CustomRange = lazy(() => import('./custom-range'));

export const ALL_SURVEYS = 'all';

export interface FiltersProps {
  audience: Audience;
  choice: PeriodChoice;
  range: DayRange;
  today: string;
  surveyId: string | null;
  surveys: Survey[] | undefined;
  onPeriodChange: (choice: PeriodChoice) => void;
  onRangeChange: (range: Partial<DayRange>) => void;
  onSurveyChange: (surveyId: string | null) => void;
}

export function Filters(props: FiltersProps) {
  const { t } = useTranslation();
  const { audience, choice, range, today, surveyId, surveys } = props;
  const periodOptions = [...PRESETS, 'custom' as const].map((value) => ({
    value,
    label: t(`period.${value}`),
  }));
  const surveyOptions = [
    {
      value: ALL_SURVEYS,
      label: audience === 'employee' ? t('survey.allEmployee') : t('survey.allCustomer'),
    },
    ...(surveys ?? []).map((survey) => ({ value: survey.id, label: survey.name })),
  ];

  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <Select
        label={t('period.label')}
        data={periodOptions}
        value={choice}
        onChange={(value) => value && props.onPeriodChange(value as PeriodChoice)}
        allowDeselect={false}
        w={{ base: '100%', xs: 220 }}
      />
      {choice === 'custom' && (
        <Suspense fallback={<Skeleton h={36} w={348} />}>
          <CustomRange range={range} today={today} onChange={props.onRangeChange} />
        </Suspense>
      )}
      <Select
        label={t('survey.label')}
        data={surveyOptions}
        value={surveyId ?? ALL_SURVEYS}
        onChange={(value) => props.onSurveyChange(value && value !== ALL_SURVEYS ? value : null)}
        allowDeselect={false}
        disabled={!surveys}
        w={{ base: '100%', xs: 280 }}
      />
    </Group>
  );
}
