// Every dashboard of a drive receives the same tally event (feed.ts publishes one payload per
// drive). GraphQL would execute the subscription's selection on it once per subscriber: with 200
// dashboards, 200 identical executions per event. This plugin executes it once per event for all
// subscribers that would get the same answer (same document, variables, and the same view of the
// office: user's office, role, districts, language) and hands each of them that result, whose
// JSON text is made once too (Yoga's SSE writer uses a result's own `stringify` when it has one).
import { createSourceEventStream, execute, Kind, type DocumentNode, type ExecutionArgs, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import { isAsyncIterable, mapAsyncIterator } from '@envelop/core';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../schema/builder.ts';
import { districtLimit } from '../auth/scope.ts';

/** Subscription fields whose events are the same for every subscriber with the same view. */
const SHARED_FIELDS = new Set(['tallyUpdates']);

function operationOf(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
}

/** A subscription that selects only shared fields (fragments and directives at the root are not shared). */
function isShared(document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = operationOf(document, operationName);
  if (operation?.operation !== 'subscription') return false;
  return operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && SHARED_FIELDS.has(s.name.value) && !s.directives?.length);
}

/** Numbers parsed documents (Yoga hands the same object for the same query text). */
const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;

/** What a subscriber's result depends on besides the event: the operation, and who is asking. */
function viewKey(args: ExecutionArgs): string {
  let documentId = documentIds.get(args.document);
  if (documentId === undefined) documentIds.set(args.document, (documentId = nextDocumentId++));
  const ctx = args.contextValue as Context;
  const user = ctx.user;
  return JSON.stringify([documentId, args.operationName ?? null, args.variableValues ?? null, user?.officeId ?? null, user?.role ?? null, user ? districtLimit(ctx) : null, ctx.locale]);
}

/** Counts for tests and metrics: events handed to subscribers, the executions they took, and the JSON texts made of them. */
export type FanoutCounts = { delivered: number; executed: number; serialized: number };

/** A shared result whose JSON text is made the first time a subscriber's stream writes it, then reused. */
function serializedOnce(result: ExecutionResult, counts: FanoutCounts): ExecutionResult {
  let text: string | undefined;
  const stringify = (value: unknown) => {
    if (value !== result) return JSON.stringify(value);
    if (text === undefined) {
      counts.serialized++;
      text = JSON.stringify(value);
    }
    return text;
  };
  return Object.defineProperty(result, 'stringify', { value: stringify, enumerable: false });
}

export function useSharedTallyEvents(counts: FanoutCounts = { delivered: 0, executed: 0, serialized: 0 }): Plugin {
  /** Event payload → view → its one execution; an event is forgotten once no subscriber holds it. */
  const executions = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
  const executeOn = (args: ExecutionArgs, payload: unknown) => {
    counts.executed++;
    return Promise.resolve(execute({ ...args, rootValue: payload }) as ExecutionResult | Promise<ExecutionResult>);
  };
  const shared = (args: ExecutionArgs, view: string, payload: unknown): Promise<ExecutionResult> => {
    counts.delivered++;
    if (typeof payload !== 'object' || payload === null) return executeOn(args, payload);
    let byView = executions.get(payload);
    if (!byView) executions.set(payload, (byView = new Map()));
    const done = byView.get(view);
    // A result with errors is not shared: error handling downstream works on each result.
    if (done) return done.then((result) => (result.errors ? executeOn(args, payload) : result));
    const result = executeOn(args, payload).then((r) => (r.errors ? r : serializedOnce(r, counts)));
    byView.set(view, result);
    return result;
  };
  return {
    onSubscribe({ args, setSubscribeFn }) {
      if (!isShared(args.document, args.operationName)) return;
      setSubscribeFn(async (subscribeArgs) => {
        // As graphql's subscribe: the source stream, then each event executed with it as the root value.
        const stream = await createSourceEventStream(subscribeArgs);
        if (!isAsyncIterable(stream)) return stream as ExecutionResult;
        const view = viewKey(subscribeArgs);
        return mapAsyncIterator(stream, (payload) => shared(subscribeArgs, view, payload));
      });
    },
  };
}
