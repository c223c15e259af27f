// Input clean-up shared by the entity specs: what an officer pastes often has stray spaces.
import { normalizeDigits, parseRegionCode } from '@jemput/core';
import type { Candidate, Patch } from './editing.ts';
import type { FieldIssue } from '@jemput/core';

/** Trims text; an empty cell means "no value". */
export function cleanText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return trimmed === '' ? null : trimmed;
}

/** Keeps digits of identifiers typed with spaces, dots or dashes; anything else is left for validation to report. */
export function cleanIdentifier(value: unknown): unknown {
  const text = cleanText(value);
  if (typeof text !== 'string') return text;
  const digits = normalizeDigits(text);
  return /^\d+$/.test(digits) ? digits : text;
}

/** Region codes are stored dotted ("35.73.01"), whichever form was typed. */
export function cleanRegionCode(value: unknown): unknown {
  const text = cleanText(value);
  if (typeof text !== 'string') return text;
  return parseRegionCode(text)?.dotted ?? text;
}

export function cleanPatch(patch: Patch, cleaners: Record<string, (v: unknown) => unknown>): Patch {
  const out: Patch = {};
  for (const [field, value] of Object.entries(patch)) out[field] = (cleaners[field] ?? cleanText)(value);
  return out;
}

/**
 * Marks rows whose reference (e.g. schoolId) points at nothing, with one query for the batch.
 */
export async function checkReferences(
  candidates: Candidate[],
  field: string,
  findExisting: (ids: string[]) => Promise<{ id?: string; code?: string }[]>,
): Promise<void> {
  const wanted = [...new Set(candidates.map((c) => c.merged[field]).filter((v): v is string => typeof v === 'string'))];
  if (!wanted.length) return;
  const found = new Set((await findExisting(wanted)).map((r) => r.id ?? r.code));
  for (const c of candidates) {
    const value = c.merged[field];
    if (typeof value === 'string' && !found.has(value)) c.issues.push({ field, code: 'NOT_FOUND', severity: 'error', params: { value } });
  }
}

/**
 * Marks rows that would take a unique value (NISN, NPSN) already used by another row, in
 * the database or earlier in the same batch.
 */
export async function checkUnique(
  candidates: Candidate[],
  field: string,
  findExisting: (values: string[]) => Promise<{ id: string; value: string }[]>,
): Promise<void> {
  const touching = candidates.filter((c) => typeof c.patch[field] === 'string');
  if (!touching.length) return;
  const owners = new Map((await findExisting(touching.map((c) => c.patch[field] as string))).map((r) => [r.value, r.id]));
  const seenInBatch = new Map<string, number>();
  for (const c of touching) {
    const value = c.patch[field] as string;
    const owner = owners.get(value);
    const issue: FieldIssue = { field, code: 'DUPLICATE', severity: 'error', params: { value } };
    if (owner && owner !== c.id) c.issues.push(issue);
    else if (seenInBatch.has(value)) c.issues.push({ ...issue, params: { value, row: (seenInBatch.get(value) ?? 0) + 1 } });
    else seenInBatch.set(value, c.index);
  }
}
