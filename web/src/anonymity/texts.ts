/** @module Texts of eNPS anonymity in the dashboard (the warning over employee comments) in English and Russian. */
import type { RoomTexts } from '../i18n/room';

export const anonymityEn = {
  anonymity: {
    commentsWarningTitle: 'Comments are shown as written',
    commentsWarning:
      'A comment may identify its author by what it says — read with care, and never try to find out who wrote it. Comments appear only for groups large enough to be shown, without time or unit, in no particular order.',
  },
};

export const anonymityRu: RoomTexts<typeof anonymityEn> = {
  anonymity: {
    commentsWarningTitle: 'Комментарии показаны так, как их написали',
    commentsWarning:
      'Комментарий может выдать автора тем, что в нём сказано, — читайте бережно и не пытайтесь узнать, кто его написал. Комментарии видны только для групп, достаточно больших, чтобы их показать, — без времени и подразделения, в случайном порядке.',
  },
};
