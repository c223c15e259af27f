// The worker thread of a StudentChecker (student-check.ts): checks batches of rows with the
// core rules and answers each batch in order.
import { parentPort, workerData } from 'node:worker_threads';
import { checkStudentRow, type CheckAnswer, type CheckerSetup, type CheckRequest, type SchoolDirectory } from './student-check.ts';

const setup = workerData as CheckerSetup;
const schools: SchoolDirectory = { byNpsn: new Map(setup.npsns), fixedSchoolId: setup.fixedSchoolId };

parentPort!.on('message', (request: CheckRequest) => {
  const checked: CheckAnswer['checked'] = request.rows.map(([rowNumber, index, cells]) => {
    const c = checkStudentRow({ rowNumber, index, cells }, setup.mapping, schools, setup.today);
    return [c.row, c.schoolId, c.issues];
  });
  parentPort!.postMessage({ id: request.id, checked } satisfies CheckAnswer);
});
