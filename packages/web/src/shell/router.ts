// A tiny path router: the screens are a flat list, so a signal over location.pathname does.
import { createRoot, createSignal } from 'solid-js';

export const SCREENS = ['sekolah', 'siswa', 'drive', 'kunjungan', 'hasil', 'dasbor', 'stok', 'impor', 'pengguna', 'audit'] as const;
export type Screen = (typeof SCREENS)[number];
export const DEFAULT_SCREEN: Screen = 'siswa';

/** The screen named by a path (`/siswa`, `/siswa/…`); the default screen for `/` or unknown paths. */
export function screenOfPath(pathname: string): Screen {
  const first = pathname.split('/').filter(Boolean)[0] ?? '';
  return (SCREENS as readonly string[]).includes(first) ? (first as Screen) : DEFAULT_SCREEN;
}

const store = createRoot(() => {
  const [screen, setScreen] = createSignal<Screen>(typeof location === 'undefined' ? DEFAULT_SCREEN : screenOfPath(location.pathname));
  if (typeof window !== 'undefined') window.addEventListener('popstate', () => setScreen(screenOfPath(location.pathname)));
  return { screen, setScreen };
});

export const screen = store.screen;

export function navigate(to: Screen): void {
  if (to === store.screen()) return;
  history.pushState(null, '', `/${to}`);
  store.setScreen(to);
}
