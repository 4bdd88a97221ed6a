/** @module Texts of the goals pages in English and Russian; i18n/en.ts and ru.ts merge them in. */
import type { RoomTexts } from '../i18n/room';

export const goalsEn = {
  goals: { title: 'Goals & KPI' },
};

export const goalsRu: RoomTexts<typeof goalsEn> = {
  goals: { title: 'Цели и KPI' },
};
