/** @module Texts of the themes pages in English and Russian; i18n/en.ts and ru.ts merge them in. */
import type { RoomTexts } from '../i18n/room';

export const themesEn = {
  themes: { title: 'Themes' },
};

export const themesRu: RoomTexts<typeof themesEn> = {
  themes: { title: 'Темы' },
};
