// An organisation's taxonomy of themes: created from the default one on first use, edited as a whole with its
// version (a save over someone else's is refused), each save re-tagging past answers in a background job.
import { and, asc, eq, sql } from 'drizzle-orm';
import { type Db, tables } from '../../db/index.js';
import { type CompiledTaxonomy, compileTaxonomy } from '../../domain/themes.js';
import { DEFAULT_THEMES } from '../../domain/themes-taxonomy.js';
import { enqueue } from '../jobs/index.js';
import { AppError, type Ctx, canWrite, requireRole } from '../kernel/index.js';
import type { TaxonomyInput } from './schemas.js';

const { themes, themeSettings } = tables;

export const RETAG_JOB = 'themes.retag';

export interface ThemeView {
  id: string;
  key: string;
  name: { ru: string; en: string };
  keywords: string[];
  enabled: boolean;
  builtin: boolean;
}

export interface Taxonomy {
  version: number;
  themes: ThemeView[];
}

type ThemeRow = typeof themes.$inferSelect;

const viewOf = (r: ThemeRow): ThemeView => ({
  id: r.id,
  key: r.key,
  name: { ru: r.nameRu, en: r.nameEn },
  keywords: r.keywords,
  enabled: r.enabled,
  builtin: r.builtin,
});

/** Creates the default taxonomy for an org that has none yet, and queues the tagging of its past answers. */
export async function ensureTaxonomy(db: Db, orgId: string, now: Date): Promise<void> {
  const [settings] = await db
    .select({ orgId: themeSettings.orgId })
    .from(themeSettings)
    .where(eq(themeSettings.orgId, orgId));
  if (settings) return;
  const created = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(themeSettings)
      // New answers from now on are the sweep's; everything before, the job's.
      .values({ orgId, version: 1, watermark: now, employeeWatermark: now.toISOString().slice(0, 10) })
      .onConflictDoNothing()
      .returning({ orgId: themeSettings.orgId });
    if (!row) return false;
    await tx.insert(themes).values(
      DEFAULT_THEMES.map((t, position) => ({
        orgId,
        key: t.key,
        nameRu: t.name.ru,
        nameEn: t.name.en,
        keywords: t.keywords,
        builtin: true,
        position,
      })),
    );
    return true;
  });
  if (created) await queueRetag(db, orgId, 1, now);
}

async function queueRetag(db: Db, orgId: string, version: number, now: Date): Promise<void> {
  await enqueue(db, { orgId, kind: RETAG_JOB, key: `v${version}`, runAt: now, payload: { version } });
}

export async function getTaxonomy(ctx: Ctx): Promise<Taxonomy> {
  await ensureTaxonomy(ctx.db, ctx.orgId, ctx.clock());
  return readTaxonomy(ctx.db, ctx.orgId);
}

async function readTaxonomy(db: Db, orgId: string): Promise<Taxonomy> {
  const [settings] = await db.select().from(themeSettings).where(eq(themeSettings.orgId, orgId));
  const rows = await db
    .select()
    .from(themes)
    .where(eq(themes.orgId, orgId))
    .orderBy(asc(themes.position), asc(themes.key));
  return { version: settings?.version ?? 1, themes: rows.map(viewOf) };
}

/** A theme's key from its name: latin letters, digits and dashes ('Детская комната' → 'detskaya-komnata'). */
const TRANSLIT: Record<string, string> = Object.fromEntries(
  'а:a б:b в:v г:g д:d е:e ж:zh з:z и:i й:y к:k л:l м:m н:n о:o п:p р:r с:s т:t у:u ф:f х:h ц:ts ч:ch ш:sh щ:sch ъ: ы:y ь: э:e ю:yu я:ya'
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);
export function keyFromName(name: string): string {
  const latin = [...name.toLowerCase().replaceAll('ё', 'е')].map((ch) => TRANSLIT[ch] ?? ch).join('');
  return (
    latin
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'theme'
  );
}

/**
 * Saves the whole taxonomy: themes with an id are updated, without one created, those left out deleted (with their
 * tags). Refused with 409 when `version` is not the current one. Queues the re-tagging of every past answer.
 */
export async function putTaxonomy(
  ctx: Ctx,
  input: TaxonomyInput,
): Promise<Taxonomy & { retagQueued: boolean }> {
  requireRole(ctx, ...canWrite);
  await ensureTaxonomy(ctx.db, ctx.orgId, ctx.clock());
  const version = await ctx.db.transaction(async (tx) => {
    const [settings] = await tx
      .select()
      .from(themeSettings)
      .where(eq(themeSettings.orgId, ctx.orgId))
      .for('update');
    if (!settings || settings.version !== input.version) {
      throw new AppError('conflict', 'The themes were changed by someone else: reload them and edit again', {
        errors: [{ path: 'version', message: `The current version is ${settings?.version ?? 1}` }],
      });
    }
    const existing = await tx.select().from(themes).where(eq(themes.orgId, ctx.orgId));
    const byId = new Map(existing.map((t) => [t.id, t]));
    const keys = new Set<string>();
    const kept = new Set<string>();
    for (const [position, t] of input.themes.entries()) {
      const old = t.id ? byId.get(t.id) : undefined;
      if (t.id && !old) {
        throw new AppError('invalid_input', 'Unknown theme', {
          errors: [{ path: `themes.${position}.id`, message: 'Not a theme of this organisation' }],
        });
      }
      let key = old?.key ?? keyFromName(t.name.en || t.name.ru);
      for (let k = 2; keys.has(key); k++) key = `${key.replace(/-\d+$/, '')}-${k}`;
      keys.add(key);
      const values = {
        nameRu: t.name.ru,
        nameEn: t.name.en,
        keywords: t.keywords,
        enabled: t.enabled,
        position,
      };
      if (old) {
        kept.add(old.id);
        await tx
          .update(themes)
          .set(values)
          .where(and(eq(themes.orgId, ctx.orgId), eq(themes.id, old.id)));
      } else {
        await tx.insert(themes).values({ orgId: ctx.orgId, key, builtin: false, ...values });
      }
    }
    for (const old of existing) {
      if (kept.has(old.id)) continue;
      // Its counts and its tags leave with it.
      await tx.execute(sql`delete from theme_daily where org_id = ${ctx.orgId} and theme_id = ${old.id}`);
      await tx.execute(sql`delete from answer_themes where org_id = ${ctx.orgId} and theme_id = ${old.id}`);
      await tx.delete(themes).where(and(eq(themes.orgId, ctx.orgId), eq(themes.id, old.id)));
    }
    const next = settings.version + 1;
    await tx
      .update(themeSettings)
      .set({ version: next, updatedAt: ctx.clock() })
      .where(eq(themeSettings.orgId, ctx.orgId));
    return next;
  });
  await queueRetag(ctx.db, ctx.orgId, version, ctx.clock());
  return { ...(await readTaxonomy(ctx.db, ctx.orgId)), retagQueued: true };
}

const compiledCache = new Map<string, { version: number; compiled: CompiledTaxonomy; themes: ThemeView[] }>();

/** The org's enabled themes compiled for tagging, cached per taxonomy version. */
export async function compiledTaxonomy(
  db: Db,
  orgId: string,
): Promise<{ version: number; compiled: CompiledTaxonomy; themes: ThemeView[] }> {
  const [settings] = await db
    .select({ version: themeSettings.version })
    .from(themeSettings)
    .where(eq(themeSettings.orgId, orgId));
  const version = settings?.version ?? 0;
  const cached = compiledCache.get(orgId);
  if (cached && cached.version === version) return cached;
  const taxonomy = await readTaxonomy(db, orgId);
  const enabled = taxonomy.themes.filter((t) => t.enabled);
  const entry = { version, compiled: compileTaxonomy(enabled), themes: taxonomy.themes };
  compiledCache.set(orgId, entry);
  return entry;
}
