// The one urql client: GraphQL over HTTP at /graphql (same origin; the vite dev server proxies
// it), subscriptions over Yoga's SSE through fetch (`fetchSubscriptions`), and the chosen
// language sent as Accept-Language so the API's messages come back in it. Every request (GET
// queries, POST mutations, SSE subscriptions through fetch) carries the CSRF header the API requires
// of requests a cross-site form or <img> could make (packages/api/src/server/hardening.ts).
import { cacheExchange, createClient, fetchExchange, type AnyVariables, type TypedDocumentNode } from '@urql/core';
import { locale } from '../i18n/locale.ts';

export const client = createClient({
  url: '/graphql',
  exchanges: [cacheExchange, fetchExchange],
  fetchSubscriptions: true,
  // Grids keep their own rows; the document cache would only serve stale pages.
  requestPolicy: 'network-only',
  fetchOptions: () => ({ headers: { 'accept-language': locale(), 'x-graphql-yoga-csrf': '1' } }),
});

export class ApiError extends Error {}

/** Called when the API says the session is gone (expired, logged out elsewhere): the app shows the login. */
let onUnauthenticated: () => void = () => {};
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

/** Runs a query or mutation and returns its data, throwing on network or GraphQL errors. */
export async function request<Data = any, Variables extends AnyVariables = AnyVariables>(
  document: string | TypedDocumentNode<Data, Variables>,
  variables: Variables,
  kind: 'query' | 'mutation' = 'query',
): Promise<Data> {
  const result = kind === 'query' ? await client.query<Data, Variables>(document, variables).toPromise() : await client.mutation<Data, Variables>(document, variables).toPromise();
  if (result.error) {
    if (result.error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) onUnauthenticated();
    throw new ApiError(result.error.message);
  }
  if (!result.data) throw new ApiError('no data');
  return result.data;
}
