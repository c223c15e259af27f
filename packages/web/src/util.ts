// Small browser helpers.
import { jakartaDate, type IsoDate } from '@jemput/core';

/** Today's date in Asia/Jakarta (the office's calendar day), as the API counts it. */
export function todayInJakarta(now = new Date()): IsoDate {
  return jakartaDate(now);
}

/** A random id for a row made in the browser (crypto.randomUUID needs a secure context; this doesn't). */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/**
 * Wraps a read whose answers may arrive out of order (IndexedDB reads run side by side): only an
 * answer at least as new as every one already applied is applied, so an older snapshot never
 * replaces a newer one on screen.
 */
export function newestWins<T>(read: () => Promise<T>, apply: (value: T) => void): () => Promise<void> {
  let started = 0;
  let applied = 0;
  return async () => {
    const ticket = ++started;
    const value = await read();
    if (ticket < applied) return;
    applied = ticket;
    apply(value);
  };
}
