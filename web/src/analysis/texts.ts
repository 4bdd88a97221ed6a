/** @module Texts of the analysis pages in English and Russian; i18n/en.ts and ru.ts merge them in. */
import type { RoomTexts } from '../i18n/room';

export const analysisEn = {
  analysis: { title: 'Analysis' },
};

export const analysisRu: RoomTexts<typeof analysisEn> = {
  analysis: { title: 'Анализ' },
};
