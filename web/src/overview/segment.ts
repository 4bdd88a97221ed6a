/** @module Segments of the 0–10 scale and their colours, the same in every chart, table and badge. */

export type Segment = 'promoter' | 'passive' | 'detractor';

/** Promoters 9–10, passives 7–8, detractors 0–6 (Reichheld's Net Promoter definition). */
export function segmentOf(score: number): Segment {
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

/** Mantine colour names, for badges and text. */
export const SEGMENT_COLOR: Record<Segment, string> = {
  promoter: 'green',
  passive: 'yellow',
  detractor: 'red',
};

/** Plain colours for SVG charts (Mantine's green.6, yellow.6 and red.6). */
export const SEGMENT_FILL: Record<Segment, string> = {
  promoter: '#40c057',
  passive: '#fab005',
  detractor: '#fa5252',
};
