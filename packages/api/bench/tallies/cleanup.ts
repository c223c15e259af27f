// Cleanup that must run however the bench ends: normal exit, an error, or Ctrl-C.
const tasks: (() => Promise<void> | void)[] = [];

/** Registers a cleanup step; returns a function that runs it now (once) and unregisters it. */
export function onCleanup(task: () => Promise<void> | void): () => Promise<void> {
  tasks.push(task);
  return async () => {
    const i = tasks.indexOf(task);
    if (i < 0) return;
    tasks.splice(i, 1);
    await task();
  };
}

/** Runs every registered step, newest first; a failing step does not stop the others. */
export async function runCleanup(): Promise<void> {
  while (tasks.length) {
    const task = tasks.pop() as () => Promise<void> | void;
    try {
      await task();
    } catch (error) {
      console.error(`cleanup: ${(error as Error).message}`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up…`);
    void runCleanup().finally(() => process.exit(130));
  });
}
