/** @module The from/to date inputs of a custom period, loaded only when someone picks custom dates. */
import '@mantine/dates/styles.css';
import 'dayjs/locale/ru';
import 'dayjs/locale/en';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import { IconCalendar } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { DayRange } from './period';

const HALF_ON_PHONES = { base: 'calc(50% - var(--mantine-spacing-sm) / 2)', xs: 170 };

export default function CustomRange({
  range,
  today,
  onChange,
}: {
  range: DayRange;
  today: string;
  onChange: (range: Partial<DayRange>) => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <DatesProvider settings={{ locale: i18n.language, firstDayOfWeek: i18n.language === 'ru' ? 1 : 0 }}>
      <DatePickerInput
        label={t('period.from')}
        value={range.from}
        onChange={(value) => value && onChange({ from: value })}
        valueFormat={t('period.dateFormat')}
        maxDate={range.to}
        leftSection={<IconCalendar size={16} />}
        w={HALF_ON_PHONES}
      />
      <DatePickerInput
        label={t('period.to')}
        value={range.to}
        onChange={(value) => value && onChange({ to: value })}
        valueFormat={t('period.dateFormat')}
        minDate={range.from}
        maxDate={today}
        leftSection={<IconCalendar size={16} />}
        w={HALF_ON_PHONES}
      />
    </DatesProvider>
  );
}
