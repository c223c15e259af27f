// The Hasil screen's calls. Sync goes through fetch directly (not urql) so that "could not reach
// the server" (offline, proxy down, 5xx) is told apart from an answer, and the queue waits.
import { locale } from '../../i18n/locale.ts';
import { request } from '../../api/client.ts';
import { Unreachable, type QueuedWrite, type ServerOutcome, type SyncAnswer } from './queue.ts';
import type { Sheet, SheetStudent, SheetVisit } from './sheet.ts';
import { OUTCOME_FIELDS, SYNC } from './documents.ts';


export async function sendWrites(writes: QueuedWrite[]): Promise<SyncAnswer[]> {
  const body = JSON.stringify({
    query: SYNC,
    variables: { writes: writes.map(({ seq: _seq, set, ...w }) => ({ ...w, ...set })) },
  });
  let response: Response;
  try {
    response = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': locale(), 'x-graphql-yoga-csrf': '1' }, body });
  } catch (error) {
    throw new Unreachable((error as Error).message);
  }
  if (response.status >= 500 || response.status === 0) throw new Unreachable(`HTTP ${response.status}`);
  const result = (await response.json().catch(() => null)) as { data?: { syncOutcomes: SyncAnswer[] }; errors?: { message: string }[] } | null;
  if (!result) throw new Unreachable('no answer');
  if (result.errors?.length || !result.data) throw new Error(result.errors?.map((e) => e.message).join('; ') ?? 'no data');
  return result.data.syncOutcomes;
}

const VISIT = /* GraphQL */ `
  query ($id: ID!) { visit(id: $id) { id date team school { id name } drive { id name electionDate } } blankStock { balance } }`;

const STUDENTS = /* GraphQL */ `
  query ($schoolId: ID!, $electionDate: Date!, $driveId: ID!, $after: String) {
    students(first: 500, after: $after, filter: { schoolId: { equals: $schoolId }, eligibleOn: $electionDate }, sort: [{ field: CLASS_NAME }, { field: NAME }]) {
      pageInfo { hasNextPage endCursor }
      edges { node { id name className nikMasked birthDate married outcome(driveId: $driveId) { ${OUTCOME_FIELDS} } } }
    }
  }`;

/** The sheet of one visit from the server: the visit, its school's eligible students with their outcome, the blank balance. */
export async function fetchSheet(visitId: string): Promise<Sheet | null> {
  const head = await request<{ visit: SheetVisit | null; blankStock: { balance: number } | null }>(VISIT, { id: visitId });
  if (!head.visit) return null;
  const students: SheetStudent[] = [];
  let after: string | null = null;
  for (;;) {
    const page: { students: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: SheetStudent }[] } } = await request(STUDENTS, {
      schoolId: head.visit.school.id,
      electionDate: head.visit.drive.electionDate,
      driveId: head.visit.drive.id,
      after,
    });
    students.push(...page.students.edges.map((e) => e.node));
    if (!page.students.pageInfo.hasNextPage) break;
    after = page.students.pageInfo.endCursor;
  }
  return { visit: head.visit, students, blankBalance: head.blankStock?.balance ?? null, savedAt: new Date().toISOString() };
}

export type DriveOption = { id: string; name: string; electionDate: string };
export type VisitOption = { id: string; date: string; team: string | null; status: string; school: { name: string } };

export async function fetchDrives(): Promise<DriveOption[]> {
  const data = await request<{ drives: { edges: { node: DriveOption }[] } }>(`{ drives(first: 100) { edges { node { id name electionDate } } } }`, {});
  return data.drives.edges.map((e) => e.node);
}

export async function fetchVisits(driveId: string): Promise<VisitOption[]> {
  const data = await request<{ visits: { edges: { node: VisitOption }[] } }>(
    `query ($driveId: ID!) { visits(first: 500, filter: { driveId: { equals: $driveId } }, sort: [{ field: DATE }, { field: SCHOOL_NAME }]) { edges { node { id date team status school { name } } } } }`,
    { driveId },
  );
  return data.visits.edges.map((e) => e.node);
}

/** The outcomes a rowChanges event named, with their student (a colleague's recording, live). */
export async function fetchOutcomesById(ids: string[]): Promise<(ServerOutcome & { studentId: string; driveId: string })[]> {
  if (ids.length === 0) return [];
  const data = await request<{ outcomes: { edges: { node: ServerOutcome & { studentId: string; driveId: string } }[] } }>(
    `query ($ids: [ID!]) { outcomes(first: 500, filter: { id: { in: $ids } }) { edges { node { studentId driveId ${OUTCOME_FIELDS} } } } }`,
    { ids },
  );
  return data.outcomes.edges.map((e) => e.node);
}

// Per drive: outcome rows carry no school, so the sheet keeps the ones of its own students.
export const OUTCOME_CHANGES = /* GraphQL */ `
  subscription ($driveId: ID) { rowChanges(entity: OUTCOME, driveId: $driveId) { id version deleted } }`;
