// The checking thread of StudentChecker (student-check.ts): checks batches of rows with the
// core rules for each checker (one per list being validated) and answers each batch in order.
import { parentPort } from 'node:worker_threads';
import { checkBatch, type CheckerSetup, type FromWorker, type SchoolDirectory, type ToWorker } from './student-check.ts';

const checkers = new Map<number, { setup: CheckerSetup; schools: SchoolDirectory }>();

parentPort!.on('message', (message: ToWorker) => {
  if (message.type === 'setup') {
    const { setup } = message;
    checkers.set(message.checker, { setup, schools: { byNpsn: new Map(setup.npsns), fixedSchoolId: setup.fixedSchoolId } });
  } else if (message.type === 'forget') {
    checkers.delete(message.checker);
  } else {
    const checker = checkers.get(message.checker);
    // A checker forgotten meanwhile refused its batches already: nobody waits for this answer.
    if (!checker) return;
    const checked = checkBatch(message.request.rows, checker.setup.mapping, checker.schools, checker.setup.today);
    parentPort!.postMessage({ checker: message.checker, answer: { id: message.request.id, checked } } satisfies FromWorker);
  }
});
