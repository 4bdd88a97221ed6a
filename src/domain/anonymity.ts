// Anonymity of employee (eNPS) figures: the minimum group and complementary suppression, so that no group of fewer
// answers than the minimum is shown or can be worked out by subtracting shown figures from one another.
//
// The rule (primary and complementary cell suppression, as statistical offices protect published tables — see
// Hundepool et al., "Statistical Disclosure Control", Wiley 2012, ch. 4 and 5):
//   1. Primary: a group with 1 … k−1 answers is hidden (k = the organisation's minimum, never below 3).
//   2. Complementary: figures are tied by sums — a parent is the sum of its children (a unit of its sub-units and
//      its own answers, a period of its months, a group of its cuts by survey). For every such sum:
//      - when the parent is shown, what subtraction leaves of it (the parent minus its shown children) must be
//        nothing, or at least k answers spread over at least two hidden children and more answers than hidden
//        children (so no hidden child's figure follows, not even from "each of them holds one answer");
//      - when the parent is hidden, at least one of its non-empty children must be hidden too (else the parent
//        is the sum of its shown children).
//      A sum that breaks this hides its smallest shown non-empty child (the next-smallest sibling), or, when none
//      is left, the parent; this repeats until every sum holds.
//   Answers a parent holds beyond its listed children (a unit's own answers, a survey not listed) are a child too.
// Empty groups are shown as empty: nobody's answer is in them. `src/domain/anonymity.test.ts` gives an attacker
// everything shown and checks, by linear algebra over the sums, that no hidden group's counts follow.

/** The default minimum group of employee answers, and the floor below which no organisation may set it. */
export const DEFAULT_MIN_GROUP = 5;
export const FLOOR_MIN_GROUP = 3;

/** The minimum group an organisation's setting gives: the default when unset, never below the floor. */
export function minGroupOf(setting: number | null | undefined): number {
  if (setting === null || setting === undefined || !Number.isFinite(setting)) return DEFAULT_MIN_GROUP;
  return Math.max(FLOOR_MIN_GROUP, Math.floor(setting));
}

/** Parent = sum of children, exactly (every answer of the parent is in one child). */
export interface SumRelation {
  parent: string;
  children: readonly string[];
}

export interface SuppressionInput {
  /** Answers per group (the decision needs only the size; the figures shown are the group's counts). */
  sizes: ReadonlyMap<string, number>;
  relations: readonly SumRelation[];
  /** Groups that are never shown (e.g. a unit's own answers beyond its sub-units): they count as hidden. */
  unpublished?: ReadonlySet<string>;
  k: number;
}

/** The groups to hide: primary (1 … k−1 answers), unpublished ones, and the complementary ones the sums need. */
export function suppress(input: SuppressionInput): Set<string> {
  const { sizes, relations, k } = input;
  const size = (key: string) => sizes.get(key) ?? 0;
  const hidden = new Set<string>(input.unpublished ?? []);
  for (const [key, n] of sizes) if (n > 0 && n < k) hidden.add(key);
  // Smallest first, then by key: the same table always hides the same groups.
  const smallestShown = (keys: readonly string[]) =>
    keys
      .filter((c) => !hidden.has(c) && size(c) > 0)
      .sort((a, b) => size(a) - size(b) || (a < b ? -1 : a > b ? 1 : 0))[0];
  // A hidden child is itself a sum (a unit of its sub-units): what subtraction leaves of a shown parent reaches
  // through it to its shown parts (company − a shown department of a hidden branch − the other branches), so the
  // residue is counted over the pieces the hidden children break into, down to shown or unbroken groups.
  const sumOf = new Map<string, SumRelation>();
  for (const r of relations) if (!sumOf.has(r.parent)) sumOf.set(r.parent, r);
  const piecesOf = (keys: readonly string[], depth = 0): string[] =>
    keys.flatMap((c) => {
      const inner = hidden.has(c) && depth < 16 ? sumOf.get(c) : undefined;
      return inner ? piecesOf(inner.children, depth + 1) : [c];
    });
  let changed = true;
  while (changed) {
    changed = false;
    for (const r of relations) {
      let broken: boolean;
      let pieces: readonly string[] = r.children;
      if (!hidden.has(r.parent)) {
        pieces = piecesOf(r.children);
        const hiddenPieces = pieces.filter((c) => hidden.has(c) && size(c) > 0);
        const left = hiddenPieces.reduce((s, c) => s + size(c), 0);
        broken =
          hiddenPieces.length > 0 && (hiddenPieces.length < 2 || left < k || left <= hiddenPieces.length);
      } else {
        broken = size(r.parent) > 0 && !r.children.some((c) => hidden.has(c) && size(c) > 0);
      }
      if (!broken) continue;
      const next = smallestShown(pieces);
      if (next !== undefined) hidden.add(next);
      else if (!hidden.has(r.parent)) hidden.add(r.parent);
      else continue; // a hidden parent with no non-empty child shown: nothing follows from this sum
      changed = true;
    }
  }
  return hidden;
}

/** A group of a tree (units): its answers include its descendants'. */
export interface TreeNode {
  key: string;
  parent: string | null;
  /** Answers of the node's whole subtree. */
  size: number;
}

/** The key of a node's own answers (those on none of its children): a group of its own, e.g. a drill-down row. */
export const ownKey = (key: string) => `${key}#own`;

/**
 * Suppression over a tree (a unit's figure counts its sub-units and its own answers): every node is the sum of its
 * children and of its own answers (`ownKey(node)`, a group like any other: a caller that never shows it alone
 * loses nothing by its being treated as shown, since a small one is hidden anyway). Returns hidden node and
 * own-answer keys.
 */
export function suppressTree(nodes: readonly TreeNode[], k: number): Set<string> {
  const sizes = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const n of nodes) sizes.set(n.key, n.size);
  for (const n of nodes) {
    if (n.parent === null || !sizes.has(n.parent)) continue;
    const list = children.get(n.parent) ?? [];
    list.push(n.key);
    children.set(n.parent, list);
  }
  const relations: SumRelation[] = [];
  for (const n of nodes) {
    const kids = children.get(n.key) ?? [];
    if (kids.length === 0) continue;
    const own = n.size - kids.reduce((s, c) => s + (sizes.get(c) ?? 0), 0);
    sizes.set(ownKey(n.key), own);
    relations.push({ parent: n.key, children: [...kids, ownKey(n.key)] });
  }
  return suppress({ sizes, relations, k });
}

/**
 * Suppression over parts that add up to a whole shown beside them: the periods of a trend and the period's total,
 * or the cuts of a filter (by survey) and the unfiltered group. `rest` is what the whole holds beyond the listed
 * parts (never shown). Returns the hidden part keys, and `whole` itself when it must be hidden too.
 */
export function suppressParts(
  whole: { key: string; size: number },
  parts: readonly { key: string; size: number }[],
  k: number,
): Set<string> {
  const sizes = new Map<string, number>([[whole.key, whole.size]]);
  for (const p of parts) sizes.set(p.key, p.size);
  const listed = parts.reduce((s, p) => s + p.size, 0);
  const children = parts.map((p) => p.key);
  const unpublished = new Set<string>();
  if (whole.size > listed) {
    const rest = `${whole.key}#rest`;
    sizes.set(rest, whole.size - listed);
    unpublished.add(rest);
    children.push(rest);
  }
  const hidden = suppress({ sizes, relations: [{ parent: whole.key, children }], unpublished, k });
  for (const key of unpublished) hidden.delete(key);
  return hidden;
}

/** The key of a group of a two-dimensional table: a node of the unit tree in one cut (a survey, or all of them). */
export const cellKey = (node: string, cut: string) => `${node}|${cut}`;

/**
 * Suppression over a unit tree cut by survey, a table of two dimensions decided at once: in every cut a unit is the
 * sum of its children and its own answers (as `suppressTree`), and in every unit the whole (`whole`, all surveys)
 * is the sum of its cuts. Deciding each sum family apart lets a unit filter, a survey filter and both together be
 * subtracted into what one of them hid (the whole minus one unit, in a cut the other family hid); one decision over
 * every sum keeps them consistent. Every cut holds the same tree. Returns the hidden `cellKey`s.
 */
export function suppressTreeCuts(
  cuts: ReadonlyMap<string, readonly TreeNode[]>,
  whole: string,
  k: number,
): Set<string> {
  const sizes = new Map<string, number>();
  const relations: SumRelation[] = [];
  const groups = new Set<string>();
  for (const [cut, nodes] of cuts) {
    const size = new Map(nodes.map((n) => [n.key, n.size]));
    const children = new Map<string, string[]>();
    for (const n of nodes) {
      sizes.set(cellKey(n.key, cut), n.size);
      groups.add(n.key);
      if (n.parent === null || !size.has(n.parent)) continue;
      const list = children.get(n.parent) ?? [];
      list.push(n.key);
      children.set(n.parent, list);
    }
    for (const n of nodes) {
      const kids = children.get(n.key) ?? [];
      if (kids.length === 0) continue;
      const own = n.size - kids.reduce((s, c) => s + (size.get(c) ?? 0), 0);
      sizes.set(cellKey(ownKey(n.key), cut), own);
      groups.add(ownKey(n.key));
      relations.push({
        parent: cellKey(n.key, cut),
        children: [...kids.map((c) => cellKey(c, cut)), cellKey(ownKey(n.key), cut)],
      });
    }
  }
  const parts = [...cuts.keys()].filter((c) => c !== whole);
  if (parts.length > 0)
    for (const g of groups)
      relations.push({ parent: cellKey(g, whole), children: parts.map((c) => cellKey(g, c)) });
  return suppress({ sizes, relations, k });
}
