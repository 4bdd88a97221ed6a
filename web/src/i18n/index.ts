/** @module i18next set-up: ru and en, the user's choice kept in localStorage. */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../api/types';
import { en } from './en';
import { ru } from './ru';

export const LOCALES: readonly Locale[] = ['ru', 'en'];
const STORAGE_KEY = 'sarafan.locale';

function isLocale(value: unknown): value is Locale {
  return value === 'ru' || value === 'en';
}

/** The locale the user picked in the header earlier, if any. */
export function storedLocale(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

function browserLocale(): Locale {
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

function apply(locale: Locale): void {
  document.documentElement.lang = locale;
  if (i18n.language !== locale) void i18n.changeLanguage(locale);
}

/** Switches the language and remembers the choice for the next visit. */
export function chooseLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Private mode may refuse storage; the switch still works for this visit.
  }
  apply(locale);
}

/** After sign-in: the user's own locale, unless they picked one in this browser. */
export function adoptUserLocale(userLocale: Locale): void {
  apply(storedLocale() ?? userLocale);
}

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : 'en';
}

const initial = storedLocale() ?? browserLocale();
document.documentElement.lang = initial;

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ru: { translation: ru } },
  lng: initial,
  fallbackLng: 'en',
  supportedLngs: LOCALES,
  // React escapes what it renders, so i18next must not escape a second time.
  interpolation: { escapeValue: false },
});

export { i18n };
