// Builds the GraphQL schema from every domain folder (each registers its types on the builder).
import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import '../common/errors.ts';
import '../regions/schema.ts';
import '../schools/schema.ts';
import '../students/schema.ts';
import '../drives/schema.ts';
import '../visits/schema.ts';
import '../outcomes/schema.ts';
import '../outcomes/sync.ts';
import '../stock/schema.ts';
import '../tallies/schema.ts';
import '../auth/schema.ts';
import '../auth/users.ts';
import '../imports/schema.ts';
import '../rows/schema.ts';

let schema: GraphQLSchema | null = null;

export function getSchema(): GraphQLSchema {
  schema ??= lexicographicSortSchema(builder.toSchema());
  return schema;
}
