// Who is signed in, for the whole app: the `me` query on start, login/logout/password change,
// and what the role may do on screen (the API enforces the same rules; this only hides what
// would be refused).
import { createRoot, createSignal } from 'solid-js';
import { request } from '../api/client.ts';

export type Role = 'ADMIN' | 'SUPERVISOR' | 'OPERATOR' | 'VIEWER';
export type Me = { id: string; username: string; displayName: string; role: Role; team: string | null; districtCodes: string[]; mustChangePassword: boolean; seesFullNik: boolean };

const ME_FIELDS = 'id username displayName role team districtCodes mustChangePassword seesFullNik';

const store = createRoot(() => {
  /** undefined: not known yet; null: nobody signed in. */
  const [me, setMe] = createSignal<Me | null | undefined>(undefined);
  return { me, setMe };
});

export const me = store.me;

/** The last known user, so the installed app opens offline; only what the screen shows, no secret. */
const CACHE_KEY = 'jemput.me';
/** Offline with no user known yet: the shell opens read-only; screens say they cannot reach the server. */
const OFFLINE_GUEST: Me = { id: '', username: '', displayName: '', role: 'VIEWER', team: null, districtCodes: [], mustChangePassword: false, seesFullNik: false };

function remember(user: Me | null): void {
  store.setMe(user);
  try {
    if (user) localStorage.setItem(CACHE_KEY, JSON.stringify(user));
    else localStorage.removeItem(CACHE_KEY);
  } catch {
    // storage blocked: nothing remembered
  }
}

function remembered(): Me | null {
  try {
    const text = localStorage.getItem(CACHE_KEY);
    return text ? (JSON.parse(text) as Me) : null;
  } catch {
    return null;
  }
}

export async function loadMe(): Promise<void> {
  let answer: { me: Me | null };
  try {
    answer = await request<{ me: Me | null }>(`query Me { me { ${ME_FIELDS} } }`, {});
  } catch {
    // No answer (offline, server down) is not "signed out": keep working with what was known.
    store.setMe(remembered() ?? OFFLINE_GUEST);
    return;
  }
  remember(answer.me);
}

type LoginAnswer = { __typename: 'MutationLoginSuccess'; data: Me } | { __typename: 'LoginError'; message: string; code: string; retryAt: string | null };

/** Signs in; returns the server's message when refused. */
export async function login(username: string, password: string): Promise<string | null> {
  const data = await request<{ login: LoginAnswer }>(
    `mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { __typename ... on MutationLoginSuccess { data { ${ME_FIELDS} } } ... on LoginError { message code retryAt } } }`,
    { u: username, p: password },
    'mutation',
  );
  if (data.login.__typename === 'LoginError') return data.login.message;
  remember(data.login.data);
  return null;
}

export async function logout(): Promise<void> {
  await request<{ logout: boolean }>('mutation Logout { logout }', {}, 'mutation').catch(() => undefined);
  remember(null);
}

type ChangeAnswer = { __typename: 'MutationChangePasswordSuccess'; data: Me } | { __typename: 'ValidationError'; message: string };

export async function changePassword(currentPassword: string, newPassword: string): Promise<string | null> {
  const data = await request<{ changePassword: ChangeAnswer }>(
    `mutation ChangePassword($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { __typename ... on MutationChangePasswordSuccess { data { ${ME_FIELDS} } } ... on ValidationError { message } } }`,
    { c: currentPassword, n: newPassword },
    'mutation',
  );
  if (data.changePassword.__typename === 'ValidationError') return data.changePassword.message;
  remember(data.changePassword.data);
  return null;
}

/** Roles that may edit students (OPERATOR: in its districts). Mirrors packages/api/src/auth/rules.ts. */
export const canEditStudents = () => ['ADMIN', 'SUPERVISOR', 'OPERATOR'].includes(me()?.role ?? '');
export const isAdmin = () => me()?.role === 'ADMIN';
/** Roles that edit schools, drives and visits. */
export const canPlan = () => ['ADMIN', 'SUPERVISOR'].includes(me()?.role ?? '');

export async function revealNik(studentId: string): Promise<string | null> {
  const data = await request<{ revealNik: { __typename: string; data?: string | null; message?: string } }>(
    'mutation RevealNik($id: ID!) { revealNik(studentId: $id) { __typename ... on MutationRevealNikSuccess { data } ... on NotFoundError { message } } }',
    { id: studentId },
    'mutation',
  );
  return data.revealNik.data ?? null;
}
