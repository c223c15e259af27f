// rowChanges: the subscription behind "rows edited by someone else update in place".
import { filter, map, pipe } from 'graphql-yoga';
import { builder } from '../schema/builder.ts';
import { ROW_ENTITIES, type RowChange } from './feed.ts';
import { visibleChanges } from '../auth/scope.ts';

const RowEntityEnum = builder.enumType('RowEntity', { values: ROW_ENTITIES });

const RowChangeRef = builder.objectRef<RowChange>('RowChange').implement({
  description: 'A row that was created, changed or deleted. Re-read it by id to see what changed.',
  fields: (t) => ({
    entity: t.expose('entity', { type: RowEntityEnum }),
    id: t.exposeID('id'),
    version: t.exposeInt('version', { description: 'The version after the change (the last one for a delete).' }),
    deleted: t.exposeBoolean('deleted'),
    reload: t.boolean({
      description: 'Many rows of this scope changed at once (a bulk import): reload the view rather than re-read rows by id. `id` then names the import job.',
      resolve: (c) => c.reload === true,
    }),
  }),
});

builder.subscriptionFields((t) => ({
  rowChanges: t.field({
    type: [RowChangeRef],
    description:
      'Rows of one entity committed by anyone (one event per saved batch), optionally only those of a drive, school or visit. Like every stream here it may miss events across a reconnect: re-query then.',
    args: {
      entity: t.arg({ type: RowEntityEnum, required: true }),
      driveId: t.arg.id(),
      schoolId: t.arg.id(),
      visitId: t.arg.id(),
    },
    subscribe: (_root, args, ctx) => {
      const want = (ids: string[], arg: string | number | null | undefined) => arg == null || ids.includes(String(arg));
      const inScope = (c: RowChange) => want(c.driveIds, args.driveId) && want(c.schoolIds, args.schoolId) && want(c.visitIds, args.visitId);
      return pipe(
        ctx.rows.subscribe(args.entity),
        map((changes: RowChange[]) => changes.filter(inScope)),
        // Only rows the subscriber may read (auth/scope.ts): office, districts.
        map((changes: RowChange[]) => visibleChanges(changes, ctx)),
        filter((changes: RowChange[]) => changes.length > 0),
      );
    },
    resolve: (changes) => changes,
  }),
}));
