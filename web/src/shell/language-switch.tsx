/** @module RU | EN switch; the choice is remembered in this browser. */
import { SegmentedControl, VisuallyHidden } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { chooseLocale, currentLocale, LOCALES } from '../i18n';

export function LanguageSwitch({ fullWidth = false }: { fullWidth?: boolean }) {
  const { t, i18n } = useTranslation();
  const labelId = useId();
  const value = i18n.language === 'ru' || i18n.language === 'en' ? i18n.language : currentLocale();
  return (
    <div>
      <VisuallyHidden id={labelId}>{t('header.language')}</VisuallyHidden>
      <SegmentedControl
        aria-labelledby={labelId}
        size="xs"
        fullWidth={fullWidth}
        value={value}
        onChange={(next) => chooseLocale(next as Locale)}
        data={LOCALES.map((locale) => ({
          value: locale,
          label: <span title={t(`language.${locale}`)}>{locale.toUpperCase()}</span>,
        }))}
      />
    </div>
  );
}
