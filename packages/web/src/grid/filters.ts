// AG Grid's column filter model → the API's filter inputs (StringFilter, DateFilter, enum and
// boolean filters), so filtering happens on the server over the whole roster.
import { addDays, isIsoDate, parseDateInput } from '@jemput/core';
import { findChoice, parseCell, type Choice, type ColumnKind } from './columns.ts';

/** One column's filter as AG Grid's text and date filters report it (single condition). */
export type AgFilter = { filterType?: string; type?: string | null; filter?: string | number | null; dateFrom?: string | null; dateTo?: string | null };

/** The API filter for one column, or undefined when the filter can't be expressed (ignored). */
export function apiFilter(kind: ColumnKind, model: AgFilter, choices: readonly Choice[] = []): Record<string, unknown> | boolean | undefined {
  if (model.filterType === 'date') return dateFilter(model);
  if (kind === 'date') {
    // The grid's date columns filter with typed text (dd/mm/yyyy, like the cells), not a date picker.
    const iso = model.filter == null ? null : parseDateInput(String(model.filter));
    return iso ? dateFilter({ type: model.type ?? 'equals', dateFrom: iso }) : undefined;
  }
  const text = model.filter == null ? '' : String(model.filter).trim();
  if (model.type === 'blank') return { isNull: true };
  if (model.type === 'notBlank') return { isNull: false };
  if (text === '') return undefined;
  if (kind === 'sex') {
    const parsed = parseCell('sex', text);
    return parsed.ok && parsed.value ? { equals: parsed.value } : undefined;
  }
  if (kind === 'boolean') {
    const parsed = parseCell('boolean', text);
    return parsed.ok ? (parsed.value as boolean) : undefined;
  }
  if (kind === 'choice') {
    // The values whose name fits what was typed: "negeri" → NEGERI, "lowok" → Lowokwaru's code.
    const exact = findChoice(choices, text);
    if (exact || model.type === 'equals') return { in: exact ? [exact.value] : [] };
    const folded = text.toLowerCase();
    const fits = (name: string) => (model.type === 'startsWith' ? name.toLowerCase().startsWith(folded) : name.toLowerCase().includes(folded));
    return { in: choices.filter((c) => [c.value, c.label, ...(c.match ?? [])].some(fits)).map((c) => c.value) };
  }
  if (kind === 'integer') {
    const parsed = parseCell('integer', text);
    return parsed.ok && parsed.value !== null ? { equals: parsed.value } : undefined;
  }
  const value = kind === 'identifier' ? text.replace(/[\s.-]/g, '') : text;
  switch (model.type) {
    case 'equals':
      return { equals: value };
    case 'startsWith':
      return { startsWith: value };
    case 'contains':
    default:
      return { contains: value };
  }
}

function dateFilter(model: AgFilter): Record<string, unknown> | undefined {
  // AG Grid writes dates as `YYYY-MM-DD hh:mm:ss`.
  const from = model.dateFrom?.slice(0, 10) ?? null;
  const to = model.dateTo?.slice(0, 10) ?? null;
  if (!from || !isIsoDate(from)) return undefined;
  switch (model.type) {
    case 'equals':
      return { equals: from };
    case 'lessThan':
      return { lte: addDays(from, -1) };
    case 'greaterThan':
      return { gte: addDays(from, 1) };
    case 'inRange':
      return to && isIsoDate(to) ? { gte: from < to ? from : to, lte: from < to ? to : from } : { gte: from };
    default:
      return undefined;
  }
}
