/** @module Texts of the security pages in English and Russian; i18n/en.ts and ru.ts merge them in. */
import type { RoomTexts } from '../i18n/room';

export const securityEn = {
  security: { title: 'Security' },
};

export const securityRu: RoomTexts<typeof securityEn> = {
  security: { title: 'Безопасность' },
};
