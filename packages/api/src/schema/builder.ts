// The one Pothos builder. Every domain folder adds its types to it; schema/index.ts builds.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { isIsoDate, type IsoDate, type Locale } from '@jemput/core';
import type { Db, DbProvider } from '../db/client.ts';
import type { TallyFeed } from '../tallies/feed.ts';
import type { RowChangeFeed } from '../rows/feed.ts';
import type PrismaTypes from '../generated/pothos-types.ts';
import { getDatamodel } from '../generated/pothos-types.ts';

export type Context = {
  db: Db;
  provider: DbProvider;
  locale: Locale;
  /** The office's calendar day (Asia/Jakarta), for age rules. */
  today: IsoDate;
  /** The office new schools and drives belong to; one office per server until the auth issue scopes users. */
  officeId: string | null;
  /** Who acts; null until the auth issue adds sessions. */
  userId: string | null;
  /** Live tallies: writes tell the feed what they touched; queries and subscriptions read from it. */
  feed: TallyFeed;
  /** Row changes for live grids: the editing engine publishes after each commit. */
  rows: RowChangeFeed;
};

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  Scalars: {
    Date: { Input: IsoDate; Output: IsoDate };
    DateTime: { Input: Date; Output: Date };
    /** An uploaded file (GraphQL multipart request spec, parsed by Yoga). */
    File: { Input: File; Output: never };
  };
}>({
  plugins: [ErrorsPlugin, PrismaPlugin, RelayPlugin],
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

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
