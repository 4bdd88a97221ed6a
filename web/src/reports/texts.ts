/** @module Texts of the reports pages in English and Russian; i18n/en.ts and ru.ts merge them in. */
import type { RoomTexts } from '../i18n/room';

export const reportsEn = {
  reports: { title: 'Reports' },
};

export const reportsRu: RoomTexts<typeof reportsEn> = {
  reports: { title: 'Отчёты' },
};
