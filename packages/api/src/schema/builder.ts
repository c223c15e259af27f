// The one Pothos builder. Every domain folder adds its types to it; schema/index.ts builds.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import { isIsoDate, type IsoDate, type Locale } from '@jemput/core';
import type { Db, DbProvider } from '../db/client.ts';
import type { TallyFeed } from '../tallies/feed.ts';
import type { AuthUser, Role } from '../auth/user.ts';
import type { LoginRateLimiter } from '../auth/rate-limit.ts';
import { authScopesOf, unauthorizedError } from '../auth/rules.ts';
import type { RowChangeFeed } from '../rows/feed.ts';
import type PrismaTypes from '../generated/pothos-types.ts';
import { getDatamodel } from '../generated/pothos-types.ts';

export type Context = {
  db: Db;
  provider: DbProvider;
  locale: Locale;
  /** The office's calendar day (Asia/Jakarta), for age rules. */
  today: IsoDate;
  /** The signed-in user's office (before login: the office this server serves). */
  officeId: string | null;
  /** Who acts (null before login). */
  userId: string | null;
  /** The signed-in user with role and district scope; null when anonymous. */
  user: AuthUser | null;
  /** The caller's address, for the audit log and the login rate limit. */
  ip: string | null;
  /** Whether the request came over https (the session cookie is then Secure). */
  secure: boolean;
  userAgent: string | null;
  /** Adds a Set-Cookie header to this request's response. */
  setCookie(cookie: string): void;
  /** Failed logins per address (in memory, per instance). */
  loginLimiter: LoginRateLimiter;
  /** Live tallies: writes tell the feed what they touched; queries and subscriptions read from it. */
  feed: TallyFeed;
  /** Row changes for live grids: the editing engine publishes after each commit. */
  rows: RowChangeFeed;
};

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  /** signedIn: a session whose password need not change first; session: any session; roles: one of these roles. */
  AuthScopes: { signedIn: boolean; session: boolean; roles: readonly Role[] };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  Scalars: {
    Date: { Input: IsoDate; Output: IsoDate };
    DateTime: { Input: Date; Output: Date };
    /** An uploaded file (GraphQL multipart request spec, parsed by Yoga). */
    File: { Input: File; Output: never };
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin],
  scopeAuth: { authScopes: authScopesOf, unauthorizedError, authorizeOnSubscribe: true },
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.db,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    maxConnectionSize: 500,
    defaultConnectionSize: 100,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
  relay: { cursorType: 'String', clientMutationId: 'omit' },
  errors: { defaultTypes: [] },
});

builder.scalarType('Date', {
  description: 'A calendar date without time zone, ISO `YYYY-MM-DD` (shown to people as dd/mm/yyyy).',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value === 'string' && isIsoDate(value)) return value;
    throw new GraphQLError(`Tanggal tidak valid: ${JSON.stringify(value)} (format YYYY-MM-DD)`);
  },
});

builder.scalarType('DateTime', {
  description: 'A moment, ISO 8601 with time zone.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : null;
    if (date && !Number.isNaN(date.getTime())) return date;
    throw new GraphQLError(`Waktu tidak valid: ${JSON.stringify(value)} (format ISO 8601)`);
  },
});

builder.scalarType('File', {
  description: 'A file sent with the GraphQL multipart request spec (e.g. an import list).',
  serialize: () => {
    throw new GraphQLError('File is an input-only type');
  },
  parseValue: (value) => {
    // Yoga's server hands over its own File implementation, not always Node's global File.
    const file = value as File | null;
    if (file && typeof file.stream === 'function' && typeof file.name === 'string') return file;
    throw new GraphQLError('Expected an uploaded file (multipart request)');
  },
});

// Every operation needs a session by default; each field adds the roles it allows
// (auth/rules.ts), and queries narrow their rows with auth/scope.ts.
builder.queryType({ authScopes: { signedIn: true } });
builder.mutationType({ authScopes: { signedIn: true } });
builder.subscriptionType({ authScopes: { signedIn: true } });
