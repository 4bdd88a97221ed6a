// Which customers an economics figure covers: the actor's visible units, narrowed to one unit's subtree if asked.
import { type SQL, sql } from 'drizzle-orm';
import { type Ctx, notFound, requireRole } from '../kernel/index.js';
import { unitsById, visibleUnitIds } from '../units/index.js';

export interface Scope {
  /** Unit ids whose customers count; null = the whole organisation (customers without a unit included). */
  unitIds: string[] | null;
  unitId: string | null;
}

/** Who may read the economics: everyone but front-line staff (who see their cases, not the business's money). */
export const readers = ['owner', 'admin', 'manager', 'analyst'] as const;

export async function scopeOf(ctx: Ctx, unitId?: string | null): Promise<Scope> {
  requireRole(ctx, ...readers);
  const visible = await visibleUnitIds(ctx);
  if (!unitId) return { unitIds: visible ? [...visible] : null, unitId: null };
  const units = await unitsById(ctx);
  const unit = units.get(unitId);
  if (!unit || (visible && !visible.has(unitId))) throw notFound('Unit');
  const subtree = [...units.values()].filter((u) => u.path.startsWith(unit.path)).map((u) => u.id);
  return { unitIds: subtree, unitId };
}

/** The scope as a condition on a unit column (`f.unit_id`, `r.unit_id`). */
export function scopeSql(scope: Scope, column: SQL): SQL {
  if (scope.unitIds === null) return sql`true`;
  if (scope.unitIds.length === 0) return sql`false`;
  return sql`${column} = any(${`{${scope.unitIds.join(',')}}`}::uuid[])`;
}
