/** @module Texts of the economics pages in English and Russian; i18n/en.ts and ru.ts merge them in. */
import type { RoomTexts } from '../i18n/room';

export const economicsEn = {
  economics: { title: 'Loyalty economics' },
};

export const economicsRu: RoomTexts<typeof economicsEn> = {
  economics: { title: 'Экономика лояльности' },
};
