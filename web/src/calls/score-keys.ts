/** @module Typing a score on the keyboard: a digit picks 0–9, and "1" then "0" within a moment picks 10. */

/** How long after a "1" a "0" still means ten. */
export const TEN_WINDOW_MS = 1500;

export interface ScoreKeys {
  /** The score a key press picks, or null when the key is not a digit. */
  press(key: string, at: number): number | null;
}

export function scoreKeys(): ScoreKeys {
  let oneAt = Number.NEGATIVE_INFINITY;
  return {
    press(key, at) {
      if (!/^[0-9]$/.test(key)) return null;
      if (key === '0' && at - oneAt <= TEN_WINDOW_MS) {
        oneAt = Number.NEGATIVE_INFINITY;
        return 10;
      }
      oneAt = key === '1' ? at : Number.NEGATIVE_INFINITY;
      return Number(key);
    },
  };
}
