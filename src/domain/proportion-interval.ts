// Confidence interval of a proportion (e.g. a response rate): the Wilson score interval.

/** z for a two-sided 95% interval: the 97.5th percentile of the standard normal. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for `successes` out of `trials` — Wilson, E. B. (1927), "Probable inference, the law
 * of succession, and statistical inference", JASA 22(158), 209–212. Unlike the normal ("Wald") interval it
 * stays inside [0, 1] and is not degenerate at 0 or n successes, which matters for small units and fresh
 * campaigns. With no trials nothing is known: [0, 1].
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): Interval {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || successes > trials) {
    throw new RangeError(`Expected 0 ≤ successes ≤ trials, integers; got ${successes} of ${trials}`);
  }
  if (trials === 0) return { low: 0, high: 1 };
  const n = trials;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp the rounding noise at the ends (0 of n gives low = 1e-17, not 0).
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
