/** @module Texts of the benchmarks pages in English and Russian; i18n/en.ts and ru.ts merge them in. */
import type { RoomTexts } from '../i18n/room';

export const benchmarksEn = {
  benchmarks: { title: 'Benchmarks' },
};

export const benchmarksRu: RoomTexts<typeof benchmarksEn> = {
  benchmarks: { title: 'Бенчмарки' },
};
