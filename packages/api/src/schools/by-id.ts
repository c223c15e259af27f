// A student's school, batched per request. A grid block of 100 students asks for its school 100
// times; through Prisma's include and Pothos's per-row relation mapping that cost about as much
// as the students themselves. Here the rows of one execution share one query, and nothing is
// kept after it: a live subscription re-executes with the same context and must see a rename.
import DataLoader from 'dataloader';
import type { Context } from '../schema/builder.ts';

type SchoolRow = Awaited<ReturnType<Context['db']['school']['findUnique']>>;

const loaders = new WeakMap<object, DataLoader<string, SchoolRow>>();

export function schoolById(ctx: Pick<Context, 'db'>, id: string): Promise<SchoolRow> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<string, SchoolRow>(
      async (ids) => {
        const rows = await ctx.db.school.findMany({ where: { id: { in: [...new Set(ids)] } } });
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((schoolId) => byId.get(schoolId) ?? null);
      },
      { cache: false },
    );
    loaders.set(ctx, loader);
  }
  return loader.load(id);
}
