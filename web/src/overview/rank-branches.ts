/** @module The order of the branch table. */
import type { NpsRow } from '../api/types';

/** Best NPS first; branches without a figure last, then by name. */
export function rankBranches(rows: readonly NpsRow[]): NpsRow[] {
  return [...rows].sort((a, b) => {
    if (a.nps === null || b.nps === null) return a.nps === null ? (b.nps === null ? 0 : 1) : -1;
    return b.nps - a.nps || b.n - a.n || a.label.localeCompare(b.label);
  });
}
