// Typed errors of mutations: bad input comes back as data the grid can show on the cell,
// in the caller's language, never as a server error.
import { fieldLabel, formatMessage, type FieldIssue, type Locale } from '@jemput/core';
import { builder } from '../schema/builder.ts';

export const Severity = builder.enumType('Severity', { values: ['ERROR', 'WARNING'] as const });

export type FieldProblem = { field: string; code: string; severity: 'ERROR' | 'WARNING'; message: string };

export const FieldProblemRef = builder.objectRef<FieldProblem>('FieldProblem').implement({
  description: 'What is wrong with one field of one row, ready to show on the cell.',
  fields: (t) => ({
    field: t.exposeString('field'),
    code: t.exposeString('code'),
    severity: t.expose('severity', { type: Severity }),
    message: t.exposeString('message'),
  }),
});

export function describeIssue(issue: FieldIssue, locale: Locale): FieldProblem {
  const params = { field: fieldLabel(issue.field, locale), ...issue.params };
  return {
    field: issue.field,
    code: issue.code,
    severity: issue.severity === 'error' ? 'ERROR' : 'WARNING',
    message: formatMessage({ code: issue.code, params }, locale),
  };
}

export class ValidationError extends Error {
  constructor(
    message: string,
    readonly problems: FieldProblem[],
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {}

/** A stale write: the row changed since the caller read it. Carries the current row. */
export class ConflictError<Row = unknown> extends Error {
  constructor(
    message: string,
    readonly current: Row,
  ) {
    super(message);
  }
}

const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  fields: (t) => ({ message: t.exposeString('message') }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ problems: t.field({ type: [FieldProblemRef], resolve: (e) => e.problems }) }),
});

builder.objectType(NotFoundError, { name: 'NotFoundError', interfaces: [ErrorInterface] });

export { ErrorInterface };
