import { describe, expect, it } from 'vitest';
import { trendAxis } from './trend-axis';

describe('trendAxis', () => {
  it('fits a narrow trend with steps of 10', () => {
    // Values 28…47, padded by 5 → 23…52, snapped to 20…60.
    const axis = trendAxis([
      { nps: 35, band: [28, 42] },
      { nps: 40, band: [33, 47] },
    ]);
    expect(axis).toEqual({ domain: [20, 60], ticks: [20, 30, 40, 50, 60] });
  });

  it('never leaves −100…100', () => {
    const axis = trendAxis([
      { nps: -90, band: [-100, -70] },
      { nps: 95, band: [88, 100] },
    ]);
    expect(axis.domain).toEqual([-100, 100]);
    expect(axis.ticks).toEqual([-100, -50, 0, 50, 100]);
  });

  it('shows the full scale when there is nothing to draw', () => {
    expect(trendAxis([{ nps: null, band: null }]).domain).toEqual([-100, 100]);
  });
});
