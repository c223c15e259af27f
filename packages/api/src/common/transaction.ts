// Write transactions that put their contended rows last. On PostgreSQL a row stays locked from
// its UPDATE until the COMMIT, so a counter that every write of a school moves (tallies/
// maintain.ts) should be written as late as possible: written in the middle of a transaction,
// it kept the school's other writes waiting through the rest of it, one round trip per statement
// (`bench:load --pg` found a dozen transactions queued on one TallyCell row).
import type { Db } from '../db/client.ts';

/** A step a transaction runs last; steps made during one transaction merge into one per kind. */
export type LastStep = { apply(tx: Db): Promise<void> };

const lastSteps = new WeakMap<object, Map<unknown, LastStep>>();

/** Runs `body` in a transaction, then the last steps it collected (see `lastStep`), then commits. */
export function writeTransaction<T>(db: Db, body: (tx: Db) => Promise<T>, options?: { timeout?: number; maxWait?: number }): Promise<T> {
  return db.$transaction(async (tx) => {
    const steps = new Map<unknown, LastStep>();
    lastSteps.set(tx, steps);
    const result = await body(tx as Db);
    lastSteps.delete(tx);
    for (const step of steps.values()) await step.apply(tx as Db);
    return result;
  }, options);
}

/**
 * The last step of kind `kind` of the `writeTransaction` that `tx` belongs to, made by `create` on
 * first use; null outside one (the caller then does the work at once).
 */
export function lastStep<S extends LastStep>(tx: Db, kind: unknown, create: () => S): S | null {
  const steps = lastSteps.get(tx);
  if (!steps) return null;
  let step = steps.get(kind) as S | undefined;
  if (!step) steps.set(kind, (step = create()));
  return step;
}
