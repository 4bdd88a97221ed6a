import { describe, expect, it } from 'vitest';
import type { NpsRow } from '../api/types';
import { rankBranches } from './rank-branches';

function branch(label: string, nps: number | null, n: number): NpsRow {
  return {
    key: label,
    label,
    n,
    promoters: 0,
    passives: 0,
    detractors: 0,
    nps,
    ci95: null,
    moe: null,
    smallSample: n < 30,
  };
}

describe('rankBranches', () => {
  it('puts the best NPS first, ties by more answers, and branches without answers last', () => {
    const ranked = rankBranches([
      branch('Kazan', null, 0),
      branch('Omsk', 10, 40),
      branch('Tver', 30, 20),
      branch('Perm', 30, 90),
    ]);
    expect(ranked.map((row) => row.label)).toEqual(['Perm', 'Tver', 'Omsk', 'Kazan']);
  });
});
