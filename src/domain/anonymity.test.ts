// Tests of eNPS complementary suppression: hand-worked tables, and an attacker who gets every shown figure and tries
// to work out a hidden group by adding and subtracting the sums they tie together.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cellKey,
  DEFAULT_MIN_GROUP,
  minGroupOf,
  ownKey,
  type SumRelation,
  suppress,
  suppressParts,
  suppressTree,
  suppressTreeCuts,
  type TreeNode,
} from './anonymity.js';

describe('minGroupOf', () => {
  it('is 5 by default and never below 3', () => {
    expect(minGroupOf(undefined)).toBe(DEFAULT_MIN_GROUP);
    expect(minGroupOf(null)).toBe(5);
    expect(minGroupOf(2)).toBe(3);
    expect(minGroupOf(0)).toBe(3);
    expect(minGroupOf(8)).toBe(8);
  });
});

describe('suppressTree — hand-worked cases', () => {
  it('hides a small department and its next-smallest sibling, so the branch minus the rest is ≥ k', () => {
    // Branch 30 = sales 20 + support 8 + legal 2. Legal (2 < 5) is hidden; alone, 30 − 20 − 8 = 2 would give it
    // back, so support (the next smallest, 8) is hidden too: 30 − 20 = 10 answers over two hidden departments.
    const hidden = suppressTree(
      [
        { key: 'branch', parent: null, size: 30 },
        { key: 'sales', parent: 'branch', size: 20 },
        { key: 'support', parent: 'branch', size: 8 },
        { key: 'legal', parent: 'branch', size: 2 },
      ],
      5,
    );
    expect([...hidden].sort()).toEqual(['legal', 'support']);
  });

  it('hides a child when a unit’s own answers are too few to show on their own', () => {
    // Branch 21 = a 10 + b 9 + 2 answers on the branch itself: 21 − 10 − 9 = 2 would be a group of 2, so b is hidden
    // (then 21 − 10 = 11 answers: b's 9 and the branch's own 2, both hidden).
    const hidden = suppressTree(
      [
        { key: 'branch', parent: null, size: 21 },
        { key: 'a', parent: 'branch', size: 10 },
        { key: 'b', parent: 'branch', size: 9 },
      ],
      5,
    );
    expect([...hidden].sort()).toEqual(['b', 'branch#own']);
  });

  it('shows a unit whose hidden parts together are a safe group', () => {
    // Branch 6 = one department of 4 + 2 own answers: both parts hidden, 6 answers over two unknown parts.
    const hidden = suppressTree(
      [
        { key: 'branch', parent: null, size: 6 },
        { key: 'dept', parent: 'branch', size: 4 },
      ],
      5,
    );
    expect([...hidden].sort()).toEqual(['branch#own', 'dept']);
  });

  it('hides the parent when its hidden children would each be known to hold one answer', () => {
    // Branch 5 = five departments of 1: showing the branch says every department holds exactly one answer.
    const nodes: TreeNode[] = [{ key: 'branch', parent: null, size: 5 }];
    for (let i = 0; i < 5; i++) nodes.push({ key: `d${i}`, parent: 'branch', size: 1 });
    const hidden = suppressTree(nodes, 5);
    expect(hidden.has('branch')).toBe(true);
    expect(hidden.size).toBe(6);
  });

  it('hides a child of a hidden parent whose other children are all shown', () => {
    // Company 100 = north 4 (hidden) + south 96; south hidden as complement; south = s1 50 + s2 46: both shown would
    // give south back, so s2 (the smaller) is hidden too.
    const hidden = suppressTree(
      [
        { key: 'company', parent: null, size: 100 },
        { key: 'north', parent: 'company', size: 4 },
        { key: 'south', parent: 'company', size: 96 },
        { key: 's1', parent: 'south', size: 50 },
        { key: 's2', parent: 'south', size: 46 },
      ],
      5,
    );
    expect([...hidden].sort()).toEqual(['north', 's2', 'south']);
  });

  it('counts what subtraction leaves through a hidden unit down to its shown parts, across cuts by survey', () => {
    // One month, k = 3, two surveys (found by test/anonymity-differencing.test.ts). Survey 1: north's own 5,
    // sales 1, south 1; survey 2: north's own 1, sales 5, support 1, south 5. Sales and south are hidden in survey
    // 1; each sum alone can be made safe while the organisation and north's own answers stay shown — and then
    // organisation − north's own answers = sales + south = 2 people. Counted through the hidden units' parts, north's
    // own answers (or the organisation) are hidden too.
    const tree = (own: number, sales: number, support: number, south: number): TreeNode[] => [
      { key: 'all', parent: null, size: own + sales + support + south },
      { key: 'north', parent: 'all', size: own + sales + support },
      { key: 'sales', parent: 'north', size: sales },
      { key: 'support', parent: 'north', size: support },
      { key: 'south', parent: 'all', size: south },
    ];
    const hidden = suppressTreeCuts(
      new Map([
        ['*', tree(6, 6, 1, 6)],
        ['s1', tree(5, 1, 0, 1)],
        ['s2', tree(1, 5, 1, 5)],
      ]),
      '*',
      3,
    );
    expect(hidden.has(cellKey('sales', 's1')) && hidden.has(cellKey('south', 's1'))).toBe(true);
    expect(hidden.has(cellKey('all', 's1')) || hidden.has(cellKey(ownKey('north'), 's1'))).toBe(true);
  });

  it('keeps empty groups and groups at the minimum shown', () => {
    const hidden = suppressTree(
      [
        { key: 'c', parent: null, size: 10 },
        { key: 'x', parent: 'c', size: 5 },
        { key: 'y', parent: 'c', size: 5 },
        { key: 'z', parent: 'c', size: 0 },
      ],
      5,
    );
    expect(hidden.size).toBe(0);
  });
});

describe('suppressParts — periods and filter cuts', () => {
  it('hides a small month and the next-smallest month of the trend', () => {
    // Quarter 33 = Jan 3 + Feb 12 + Mar 18: Jan hidden, Feb too (33 − 18 = 15 over two months).
    const hidden = suppressParts(
      { key: 'total', size: 33 },
      [
        { key: '2026-01', size: 3 },
        { key: '2026-02', size: 12 },
        { key: '2026-03', size: 18 },
      ],
      5,
    );
    expect([...hidden].sort()).toEqual(['2026-01', '2026-02']);
  });

  it('hides a filter cut whose complement is a small group', () => {
    // A unit of 12 answers: survey A 10, survey B 2. Showing A would give B as 12 − 10 = 2: both are hidden.
    const hidden = suppressParts(
      { key: 'all', size: 12 },
      [
        { key: 'A', size: 10 },
        { key: 'B', size: 2 },
      ],
      5,
    );
    expect([...hidden].sort()).toEqual(['A', 'B']);
  });

  it('does not let "each hidden group holds one answer" follow', () => {
    // 40 = 35 + 1 + 1 + 1 + 1 + 1: five hidden groups of 5 answers in all would each be known to hold exactly one.
    const parts = [{ key: 'big', size: 35 }, ...[1, 2, 3, 4, 5].map((i) => ({ key: `s${i}`, size: 1 }))];
    const hidden = suppressParts({ key: 'all', size: 40 }, parts, 5);
    expect(hidden.has('big')).toBe(true);
  });
});

// ————— the attacker —————

/**
 * Which unknown groups follow from the sums: unknown x_i is determined exactly when its column of the system
 * (parent − Σ children = 0, the shown groups moved to the right-hand side) is independent of the others, i.e. no
 * solution of the homogeneous system moves x_i. The same holds for each of promoters, passives and detractors (and
 * for each score), since they obey the same sums.
 */
function determinedUnknowns(relations: readonly SumRelation[], unknown: ReadonlySet<string>): Set<string> {
  const cols = [...unknown];
  const index = new Map(cols.map((c, i) => [c, i]));
  const rows = relations.map((r) => {
    const row = new Array<number>(cols.length).fill(0);
    const add = (key: string, v: number) => {
      const i = index.get(key);
      if (i !== undefined) row[i]! += v;
    };
    add(r.parent, 1);
    for (const c of r.children) add(c, -1);
    return row;
  });
  const full = rank(rows);
  const out = new Set<string>();
  cols.forEach((c, i) => {
    if (rank(rows.map((row) => row.filter((_, j) => j !== i))) === full - 1) out.add(c);
  });
  return out;
}

function rank(input: number[][]): number {
  const m = input.map((r) => [...r]);
  const width = m[0]?.length ?? 0;
  let r = 0;
  for (let c = 0; c < width && r < m.length; c++) {
    let pivot = r;
    for (let i = r + 1; i < m.length; i++) if (Math.abs(m[i]![c]!) > Math.abs(m[pivot]![c]!)) pivot = i;
    if (Math.abs(m[pivot]![c]!) < 1e-9) continue;
    [m[r], m[pivot]] = [m[pivot]!, m[r]!];
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const f = m[i]![c]! / m[r]![c]!;
      if (f !== 0) for (let j = c; j < width; j++) m[i]![j]! -= f * m[r]![j]!;
    }
    r++;
  }
  return r;
}

/** What subtraction leaves of each shown parent (its hidden non-empty children): nothing, or a safe group. */
function residuesAreSafe(
  relations: readonly SumRelation[],
  sizes: ReadonlyMap<string, number>,
  hidden: ReadonlySet<string>,
  k: number,
): boolean {
  return relations.every((r) => {
    if (hidden.has(r.parent)) return true;
    const h = r.children.filter((c) => hidden.has(c) && (sizes.get(c) ?? 0) > 0);
    const left = h.reduce((s, c) => s + (sizes.get(c) ?? 0), 0);
    return h.length === 0 || (h.length >= 2 && left >= k && left > h.length);
  });
}

/** A random unit tree: each node's own answers, subtree sizes summed up. */
const arbTree = fc
  .array(fc.record({ parent: fc.nat(), own: fc.oneof(fc.constant(0), fc.nat(4), fc.nat(40)) }), {
    minLength: 1,
    maxLength: 14,
  })
  .map((spec) => {
    const nodes = spec.map((s, i) => ({
      key: `u${i}`,
      parent: i === 0 ? null : `u${s.parent % i}`,
      own: s.own,
    }));
    const size = new Map(nodes.map((n) => [n.key, n.own]));
    for (let i = nodes.length - 1; i > 0; i--) {
      const n = nodes[i]!;
      size.set(n.parent!, size.get(n.parent!)! + size.get(n.key)!);
    }
    return nodes.map((n) => ({ key: n.key, parent: n.parent, size: size.get(n.key)!, own: n.own }));
  });

describe('an attacker with everything shown cannot work out a hidden group', () => {
  it('over unit trees: no hidden unit follows, and what is left after subtraction is never a small group', () => {
    fc.assert(
      fc.property(arbTree, fc.integer({ min: 3, max: 8 }), (tree, k) => {
        const hidden = suppressTree(tree, k);
        // Every primary group is hidden; nothing empty is.
        for (const n of tree) {
          if (n.size > 0 && n.size < k) expect(hidden.has(n.key)).toBe(true);
          if (n.size === 0) expect(hidden.has(n.key)).toBe(false);
        }
        // The attacker's system: every node = its children + its own answers (a group of its own).
        const sizes = new Map<string, number>();
        const relations: SumRelation[] = [];
        for (const n of tree) {
          sizes.set(n.key, n.size);
          const kids = tree.filter((c) => c.parent === n.key).map((c) => c.key);
          if (kids.length === 0) continue;
          sizes.set(ownKey(n.key), n.own);
          relations.push({ parent: n.key, children: [...kids, ownKey(n.key)] });
          if (n.own > 0 && n.own < k) expect(hidden.has(ownKey(n.key))).toBe(true);
        }
        const unknown = hidden;
        const determined = determinedUnknowns(relations, unknown);
        for (const key of hidden)
          expect(determined.has(key), `${key} follows from the shown figures`).toBe(false);
        expect(residuesAreSafe(relations, sizes, new Set([...unknown]), k)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('over a trend and a unit breakdown of the same total, at once', () => {
    const sizesArb = fc.array(fc.oneof(fc.nat(3), fc.nat(30)), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(sizesArb, sizesArb, fc.integer({ min: 3, max: 7 }), (months, unitsRaw, k) => {
        const total = months.reduce((s, x) => s + x, 0);
        // Units share the same answers: scale the unit split to the months' total.
        const units = [...unitsRaw];
        const unitSum = units.reduce((s, x) => s + x, 0);
        if (unitSum < total) units.push(total - unitSum);
        else {
          let over = unitSum - total;
          for (let i = 0; i < units.length && over > 0; i++) {
            const cut = Math.min(units[i]!, over);
            units[i]! -= cut;
            over -= cut;
          }
        }
        const sizes = new Map<string, number>([['total', total]]);
        months.forEach((m, i) => {
          sizes.set(`m${i}`, m);
        });
        units.forEach((u, i) => {
          sizes.set(`d${i}`, u);
        });
        const relations: SumRelation[] = [
          { parent: 'total', children: months.map((_, i) => `m${i}`) },
          { parent: 'total', children: units.map((_, i) => `d${i}`) },
        ];
        const hidden = suppress({ sizes, relations, k });
        const determined = determinedUnknowns(relations, hidden);
        for (const key of hidden) expect(determined.has(key)).toBe(false);
        expect(residuesAreSafe(relations, sizes, hidden, k)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('over the cuts of a filter (surveys of one group)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.nat(3), fc.nat(25)), { minLength: 1, maxLength: 6 }),
        fc.nat(3),
        fc.integer({ min: 3, max: 7 }),
        (cuts, rest, k) => {
          const whole = cuts.reduce((s, x) => s + x, 0) + rest;
          const parts = cuts.map((size, i) => ({ key: `s${i}`, size }));
          const hidden = suppressParts({ key: 'all', size: whole }, parts, k);
          const children = parts.map((p) => p.key);
          const unknown = new Set(hidden);
          if (rest > 0) {
            children.push('rest');
            unknown.add('rest');
          }
          const determined = determinedUnknowns([{ parent: 'all', children }], unknown);
          for (const key of hidden) expect(determined.has(key)).toBe(false);
          for (const p of parts) if (p.size > 0 && p.size < k) expect(hidden.has(p.key)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the attacker itself finds what a lone hidden group would give away', () => {
    // Sanity check of the attacker: with only the primary group hidden, 30 − 20 − 8 reveals legal.
    const relations = [{ parent: 'branch', children: ['sales', 'support', 'legal'] }];
    expect([...determinedUnknowns(relations, new Set(['legal']))]).toEqual(['legal']);
    expect(determinedUnknowns(relations, new Set(['legal', 'support'])).size).toBe(0);
  });
});
