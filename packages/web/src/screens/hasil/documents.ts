// The GraphQL the Hasil screen's queue sends (api.ts), in a module of plain strings so that
// `pnpm bench:load` sends exactly what officers' screens send.

export const OUTCOME_FIELDS = 'id version status recordedAt printedAt ikdActivatedAt notes visitId';

export const SYNC = /* GraphQL */ `
  mutation ($writes: [OutcomeWriteInput!]!) {
    syncOutcomes(writes: $writes) { clientMutationId status replayed outcome { ${OUTCOME_FIELDS} } problems { field code message } }
  }`;
