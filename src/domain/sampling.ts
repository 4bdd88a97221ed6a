// Reproducible random samples of a customer base: seeded, simple or stratified by unit.

/**
 * A deterministic generator of numbers in [0, 1) from a text seed: the seed is hashed with FNV-1a into 32 bits,
 * then drawn with mulberry32 (Tommy Ettinger's public-domain generator). The same seed gives the
 * same sequence on every machine, so a dry-run preview and the real run pick the same customers.
 */
export function seededRandom(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  }
  let state = (h ^ (h >>> 16)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** How many to draw: a number (capped at the population) or a share of it, rounded half up. */
export function sampleSizeOf(
  population: number,
  sample: { size?: number; share?: number } | undefined,
): number {
  if (!sample || (sample.size === undefined && sample.share === undefined)) return population;
  if (sample.size !== undefined) return Math.min(population, Math.max(0, Math.floor(sample.size)));
  return Math.min(population, Math.round(population * Math.max(0, Math.min(1, sample.share ?? 1))));
}

/**
 * `size` items drawn without replacement, each subset equally likely: a partial Fisher–Yates shuffle
 * (Knuth, TAOCP vol. 2, Algorithm P). The input order matters for reproducibility, so callers sort it first.
 */
export function simpleSample<T>(items: readonly T[], size: number, random: () => number): T[] {
  const pool = [...items];
  const k = Math.min(size, pool.length);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, k);
}

/**
 * Splits `size` across strata in proportion to their sizes by the largest-remainder (Hamilton) method, so the
 * parts add up to exactly `size`; ties go to the larger stratum, then to the stratum named first.
 */
export function allocateProportionally(
  strata: ReadonlyMap<string, number>,
  size: number,
): Map<string, number> {
  const total = [...strata.values()].reduce((a, b) => a + b, 0);
  const out = new Map<string, number>();
  if (total === 0) return out;
  const target = Math.min(size, total);
  const rows = [...strata.entries()].map(([key, n]) => {
    const exact = (n * target) / total;
    return { key, n, floor: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = target - rows.reduce((a, r) => a + r.floor, 0);
  const byRemainder = [...rows].sort((a, b) => b.remainder - a.remainder || b.n - a.n);
  for (const r of byRemainder) {
    if (left === 0) break;
    if (r.floor < r.n) {
      r.floor++;
      left--;
    }
  }
  for (const r of rows) out.set(r.key, r.floor);
  return out;
}

/** A sample stratified by `strataOf` (e.g. the customer's unit): each stratum gets its proportional share. */
export function stratifiedSample<T>(
  items: readonly T[],
  strataOf: (item: T) => string,
  size: number,
  random: () => number,
): T[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = strataOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const keys = [...groups.keys()].sort();
  const sizes = allocateProportionally(new Map(keys.map((k) => [k, groups.get(k)!.length])), size);
  return keys.flatMap((k) => simpleSample(groups.get(k)!, sizes.get(k) ?? 0, random));
}
