/** @module A tight, round NPS range inside −100…100 for an axis (the trend) or a scale (branch intervals). */

/**
 * The y-axis range and its ticks: the data's interval ends padded and snapped to a round step, never
 * beyond −100…100, so a trend that moves within a few points is not flattened against the full scale.
 */
export function trendAxis(points: readonly { nps: number | null; band: [number, number] | null }[]): {
  domain: [number, number];
  ticks: number[];
} {
  const values = points
    .flatMap((point) => [point.nps, ...(point.band ?? [])])
    .filter((v): v is number => v !== null);
  const low = values.length > 0 ? Math.min(...values) - 5 : -100;
  const high = values.length > 0 ? Math.max(...values) + 5 : 100;
  const span = high - low;
  const step = span <= 50 ? 10 : span <= 110 ? 20 : 50;
  const lo = Math.max(-100, Math.floor(low / step) * step);
  const hi = Math.min(100, Math.ceil(high / step) * step);
  const ticks: number[] = [];
  for (let tick = lo; tick <= hi; tick += step) ticks.push(tick);
  return { domain: [lo, hi], ticks };
}
