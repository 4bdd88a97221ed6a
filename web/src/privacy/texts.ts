/** @module Texts of the personal-data pages (access log, erasure, retention) in English and Russian; i18n/en.ts and ru.ts merge them in. */
import type { RoomTexts } from '../i18n/room';

export const privacyEn = {
  privacy: { title: 'Personal data' },
};

export const privacyRu: RoomTexts<typeof privacyEn> = {
  privacy: { title: 'Персональные данные' },
};
