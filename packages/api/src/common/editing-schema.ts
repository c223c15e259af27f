// The GraphQL face of the editing engine: for an entity "Student" it adds
//   createStudent(input, id?)           → Student | ValidationError | StudentConflictError
//   updateStudent(id, version, patch)   → Student | ValidationError | NotFoundError | StudentConflictError
//   deleteStudent(id, version)          → DeletedRow | ValidationError | NotFoundError | StudentConflictError
//   upsertStudents(rows)                → StudentBatchResult (per-row status and problems)
import { formatMessage, type Locale } from '@jemput/core';
import { GraphQLError } from 'graphql';
import { builder, type Context } from '../schema/builder.ts';
import { deleteRow, MAX_BATCH_ROWS, upsertRows, type BatchResult, type EditableSpec, type Row, type RowInput, type RowResult } from './editing.ts';
import type { Role } from '../auth/user.ts';
import { ConflictError, ErrorInterface, FieldProblemRef, NotFoundError, ValidationError } from './errors.ts';

export const RowStatusEnum = builder.enumType('RowStatus', {
  values: ['CREATED', 'UPDATED', 'UNCHANGED', 'REJECTED', 'CONFLICT', 'DELETED'] as const,
});

const DeletedRow = builder.objectRef<{ id: string }>('DeletedRow').implement({
  fields: (t) => ({ id: t.exposeID('id') }),
});

import type { InputFieldMap, InputFieldBuilder } from '@pothos/core';
type InputFieldsFn = (t: InputFieldBuilder<any, 'InputObject'>) => InputFieldMap;

export function registerEditableEntity(options: {
  name: string;
  plural: string;
  // A Pothos object ref for the entity (prismaObject).
  ref: any;
  spec: EditableSpec;
  inputFields: InputFieldsFn;
  /** Roles that may create/update/upsert and delete (auth/rules.ts WRITE). */
  roles: { save: readonly Role[]; delete: readonly Role[] };
}): void {
  const { name, plural, ref, spec, roles } = options;

  class EntityConflictError extends ConflictError<Row> {}
  builder.objectType(EntityConflictError, {
    name: `${name}ConflictError`,
    description: `The ${name} changed since it was read; \`current\` is what is stored now.`,
    interfaces: [ErrorInterface],
    fields: (t) => ({ current: t.field({ type: ref, nullable: true, resolve: (e) => e.current as never }) }),
  });

  const Input = builder.inputType(`${name}Input`, { fields: options.inputFields });
  const RowInputType = builder.inputType(`${name}RowInput`, {
    description: 'One row of a batch: with `id` and `version` it updates that row, without `id` (or with a new client-made `id`) it creates one.',
    fields: (t) => ({ id: t.id(), version: t.int(), ...options.inputFields(t) }),
  });

  const BatchRow = builder.objectRef<RowResult>(`${name}BatchRow`).implement({
    fields: (t) => ({
      index: t.exposeInt('index', { description: 'Position of the row in the request.' }),
      id: t.exposeID('id', { nullable: true }),
      status: t.expose('status', { type: RowStatusEnum }),
      problems: t.field({ type: [FieldProblemRef], resolve: (r) => r.problems }),
      row: t.field({ type: ref, nullable: true, description: 'The saved row, or the current one on CONFLICT.', resolve: (r) => r.row as never }),
    }),
  });

  const BatchResultType = builder.objectRef<BatchResult>(`${name}BatchResult`).implement({
    fields: (t) => ({
      created: t.exposeInt('created'),
      updated: t.exposeInt('updated'),
      unchanged: t.exposeInt('unchanged'),
      rejected: t.exposeInt('rejected'),
      conflicts: t.exposeInt('conflicts'),
      rows: t.field({ type: [BatchRow], resolve: (r) => r.rows }),
    }),
  });

  const throwIfFailed = (result: RowResult, locale: Locale) => {
    if (result.status === 'CONFLICT') throw new EntityConflictError(result.problems[0]?.message ?? 'conflict', result.row as Row);
    if (result.status !== 'REJECTED') return;
    if (result.problems.some((p) => p.code === 'NOT_FOUND' && p.field === 'id')) throw new NotFoundError(formatMessage({ code: 'NOT_FOUND' }, locale));
    throw new ValidationError(result.problems.map((p) => p.message).join('; '), result.problems);
  };

  builder.mutationFields((t) => ({
    [`create${name}`]: t.field({
      type: ref,
      authScopes: { roles: roles.save },
      errors: { types: [ValidationError, EntityConflictError] },
      args: { input: t.arg({ type: Input, required: true }), id: t.arg.id({ description: 'Optional client-made id.' }) },
      resolve: async (_root, args, ctx: Context) => {
        const result = await singleRow(spec, { ...(args.input as object), id: args.id ?? null, version: null }, ctx);
        throwIfFailed(result, ctx.locale);
        return result.row as never;
      },
    }),
    // A ledger (append-only) offers no update or delete: its mistakes are fixed by new rows.
    ...(spec.appendOnly
      ? {}
      : {
        [`update${name}`]: t.field({
          type: ref,
          authScopes: { roles: roles.save },
          errors: { types: [ValidationError, NotFoundError, EntityConflictError] },
          args: {
            id: t.arg.id({ required: true }),
            version: t.arg.int({ required: true, description: 'The version you read; a stale one is refused.' }),
            patch: t.arg({ type: Input, required: true }),
          },
          resolve: async (_root, args, ctx: Context) => {
            const result = await singleRow(spec, { ...(args.patch as object), id: String(args.id), version: args.version }, ctx);
            throwIfFailed(result, ctx.locale);
            return result.row as never;
          },
        }),
        [`delete${name}`]: t.field({
          type: DeletedRow,
          authScopes: { roles: roles.delete },
          errors: { types: [ValidationError, NotFoundError, EntityConflictError] },
          args: { id: t.arg.id({ required: true }), version: t.arg.int({ required: true }) },
          resolve: async (_root, args, ctx: Context) => {
            const result = await deleteRow(spec, String(args.id), args.version, ctx);
            throwIfFailed(result, ctx.locale);
            return { id: String(args.id) };
          },
        }),
      }),
    [`upsert${plural}`]: t.field({
      type: BatchResultType,
      authScopes: { roles: roles.save },
      description: `Saves up to ${MAX_BATCH_ROWS} rows (a grid paste) in one call. Valid rows are saved; invalid ones come back with their problems.`,
      args: { rows: t.arg({ type: [RowInputType], required: true }) },
      resolve: async (_root, args, ctx: Context) => {
        if (args.rows.length > MAX_BATCH_ROWS) {
          throw new GraphQLError(formatMessage({ code: 'BATCH_TOO_LARGE', params: { count: args.rows.length, max: MAX_BATCH_ROWS } }, ctx.locale), {
            extensions: { code: 'BATCH_TOO_LARGE', http: { status: 400 } },
          });
        }
        return upsertRows(spec, args.rows as RowInput[], ctx);
      },
    }),
  }));
}

async function singleRow(spec: EditableSpec, input: RowInput, ctx: Context): Promise<RowResult> {
  const result = await upsertRows(spec, [input], ctx);
  return result.rows[0] as RowResult;
}
