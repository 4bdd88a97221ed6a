/** @module Where a benchmark stands against the org's NPS interval: only outside it is the difference real. */

export type Position = 'above' | 'below' | 'within';

/** 'above' the 95% interval (the org is really behind), 'below' it (really ahead), or 'within' (not shown apart). */
export function positionOf(benchmark: number, ci95: [number, number]): Position {
  if (benchmark > ci95[1]) return 'above';
  if (benchmark < ci95[0]) return 'below';
  return 'within';
}

/** Whole tens around the values (and 0), ticks every 10 or 20 points, within the scale −100…100. */
export function axisOf(low: number, high: number): { domain: [number, number]; ticks: number[] } {
  const from = Math.max(-100, Math.floor(low / 10) * 10);
  const to = Math.min(100, Math.ceil(high / 10) * 10 + 10);
  const step = to - from > 100 ? 20 : 10;
  const start = Math.ceil(from / step) * step;
  const ticks = Array.from({ length: Math.floor((to - start) / step) + 1 }, (_, i) => start + i * step);
  return { domain: [from, to], ticks };
}
