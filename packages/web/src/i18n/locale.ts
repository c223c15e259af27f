// The chosen language, remembered in the browser; Bahasa Indonesia unless the user switched.
import { createRoot, createSignal } from 'solid-js';
import { DEFAULT_LOCALE, type Locale } from '@jemput/core';
import { translate, type MessageKey } from './dictionary.ts';

const STORAGE_KEY = 'jemput.locale';

function initialLocale(): Locale {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (stored === 'id' || stored === 'en') return stored;
  } catch {
    // storage blocked: use the default
  }
  return DEFAULT_LOCALE;
}

const store = createRoot(() => {
  const [locale, setLocaleSignal] = createSignal<Locale>(initialLocale());
  return { locale, setLocaleSignal };
});

export const locale = store.locale;

export function setLocale(next: Locale): void {
  store.setLocaleSignal(next);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // not remembered; fine
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/** Reactive translation: re-runs when the language changes. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(locale(), key, params);
}
