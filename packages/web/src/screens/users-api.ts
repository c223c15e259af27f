// The Pengguna screen's conversation with the API: the office's users, create, reset, (de)activate.
import { request } from '../api/client.ts';
import type { Role } from '../auth/session.ts';

export type UserRow = { id: string; username: string; displayName: string; role: Role; team: string | null; active: boolean; districtCodes: string[]; lastLoginAt: string | null; lockedUntil: string | null; version: number };
export type District = { code: string; name: string };

const USER_FIELDS = 'id version username displayName role team active districtCodes lastLoginAt lockedUntil';

export async function fetchUsers(): Promise<UserRow[]> {
  return (await request<{ users: UserRow[] }>(`query UsersScreen { users { ${USER_FIELDS} } }`, {})).users;
}

export async function fetchDistricts(): Promise<District[]> {
  return (await request<{ regions: District[] }>('query Districts { regions(level: DISTRICT) { code name } }', {})).regions;
}

type Grant = { __typename: string; message?: string; data?: { temporaryPassword: string | null; user: { username: string } } };

/** Creates a user; returns the one-time password, or throws the server's message. */
export async function createUser(input: { username: string; displayName: string; role: Role; team: string; districtCodes: string[] }): Promise<string> {
  const data = await request<{ createUser: Grant }>(
    `mutation CreateUser($i: UserInput!) { createUser(input: $i) { __typename ... on MutationCreateUserSuccess { data { temporaryPassword user { username } } } ... on ValidationError { message } } }`,
    { i: { ...input, team: input.team || null } },
    'mutation',
  );
  if (!data.createUser.data) throw new Error(data.createUser.message ?? data.createUser.__typename);
  return data.createUser.data.temporaryPassword ?? '';
}

export async function resetPassword(userId: string): Promise<string> {
  const data = await request<{ resetPassword: Grant }>(
    `mutation ResetPassword($id: ID!) { resetPassword(userId: $id) { __typename ... on MutationResetPasswordSuccess { data { temporaryPassword user { username } } } ... on Error { message } } }`,
    { id: userId },
    'mutation',
  );
  if (!data.resetPassword.data) throw new Error(data.resetPassword.message ?? data.resetPassword.__typename);
  return data.resetPassword.data.temporaryPassword ?? '';
}

export async function setActive(user: UserRow, active: boolean): Promise<void> {
  const data = await request<{ updateUser: { __typename: string; message?: string } }>(
    `mutation SetActive($id: ID!, $v: Int!, $p: UserInput!) { updateUser(id: $id, version: $v, patch: $p) { __typename ... on Error { message } } }`,
    { id: user.id, v: user.version, p: { active } },
    'mutation',
  );
  if (data.updateUser.__typename !== 'MutationUpdateUserSuccess') throw new Error(data.updateUser.message ?? data.updateUser.__typename);
}
