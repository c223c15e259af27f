// The app shell: header with the screens and the language switch, the current screen, and the
// new-version prompt. Screens are loaded on first visit so the first page stays small.
import { ErrorBoundary, For, Match, Show, Suspense, Switch, lazy, onMount } from 'solid-js';
import { Provider } from '@urql/solid';
import { client, whenUnauthenticated } from '../api/client.ts';
import { isAdmin, loadMe, me } from '../auth/session.ts';
import { locale, setLocale, t } from '../i18n/locale.ts';
import type { MessageKey } from '../i18n/dictionary.ts';
import { ComingSoon } from '../screens/ComingSoon.tsx';
import { navigate, screen, SCREENS, type Screen } from './router.ts';
import { UpdatePrompt } from './UpdatePrompt.tsx';
import { UserMenu } from './UserMenu.tsx';
import { startFieldSync } from '../screens/hasil/field.ts';

const Students = lazy(() => import('../screens/Students.tsx'));
const Audit = lazy(() => import('../screens/Audit.tsx'));
const Users = lazy(() => import('../screens/Users.tsx'));
const Login = lazy(() => import('../screens/Login.tsx'));
const ChangePassword = lazy(() => import('../screens/ChangePassword.tsx'));
const Imports = lazy(() => import('../screens/imports/Imports.tsx'));
const Hasil = lazy(() => import('../screens/hasil/Hasil.tsx'));
const Stok = lazy(() => import('../screens/stok/Stok.tsx'));

/** Screens only some roles see (the API refuses the others anyway). */
const visible = (s: Screen) => !['audit', 'pengguna', 'impor'].includes(s) || isAdmin();
const Schools = lazy(() => import('../screens/Schools.tsx'));
const Drives = lazy(() => import('../screens/Drives.tsx'));
const Visits = lazy(() => import('../screens/Visits.tsx'));
const Dashboard = lazy(() => import('../screens/Dashboard.tsx'));

const LABELS: Record<Screen, MessageKey> = {
  sekolah: 'nav.schools',
  siswa: 'nav.students',
  drive: 'nav.drives',
  kunjungan: 'nav.visits',
  hasil: 'nav.outcomes',
  dasbor: 'nav.dashboard',
  impor: 'nav.imports',
  stok: 'nav.stock',
  pengguna: 'nav.users',
  audit: 'nav.audit',
};

export function App() {
  // The field outbox is sent on app start, whatever screen opens (issue #6).
  startFieldSync();
  onMount(() => {
    whenUnauthenticated(() => void loadMe());
    void loadMe();
  });
  return (
    <Provider value={client}>
      <div class="app">
        <header class="topbar">
          <a class="brand" href="/siswa" onClick={(e) => (e.preventDefault(), navigate('siswa'))}>
            <img src="/icons/icon-192.png" alt="" width="28" height="28" />
            <span class="brand-name">Jemput</span>
            <span class="brand-tagline">{t('app.tagline')}</span>
          </a>
          <Show when={me() && !me()!.mustChangePassword} fallback={<div class="topbar-spacer" />}>
            <nav aria-label={t('nav.label')}>
              <For each={SCREENS.filter(visible)}>
                {(s) => (
                  <a href={`/${s}`} classList={{ active: screen() === s }} aria-current={screen() === s ? 'page' : undefined} data-screen={s} onClick={(e) => (e.preventDefault(), navigate(s))}>
                    {t(LABELS[s])}
                  </a>
                )}
              </For>
            </nav>
          </Show>
          <UserMenu />
          <button type="button" class="locale-switch" title={t('locale.switchTitle')} onClick={() => setLocale(locale() === 'id' ? 'en' : 'id')}>
            {t('locale.switch')}
          </button>
        </header>
        <main>
          <ErrorBoundary fallback={(error: Error) => <p class="screen-error" role="alert">{error.message}</p>}>
            <Suspense fallback={<p class="loading">…</p>}>
              <Switch>
                <Match when={me() === undefined}>
                  <p class="loading">…</p>
                </Match>
                <Match when={me() === null}>
                  <Login />
                </Match>
                <Match when={me()?.mustChangePassword}>
                  <ChangePassword />
                </Match>
                <Match when={me()}>
                  <Switch fallback={<ComingSoon title={t(LABELS[screen()])} />}>
                    <Match when={screen() === 'siswa'}>
                      <Students />
                    </Match>
                    <Match when={screen() === 'audit' && isAdmin()}>
                      <Audit />
                    </Match>
                    <Match when={screen() === 'pengguna' && isAdmin()}>
                      <Users />
                    </Match>
                    <Match when={screen() === 'sekolah'}>
                      <Schools />
                    </Match>
                    <Match when={screen() === 'drive'}>
                      <Drives />
                    </Match>
                    <Match when={screen() === 'kunjungan'}>
                      <Visits />
                    </Match>
                    <Match when={screen() === 'dasbor'}>
                      <Dashboard />
                    </Match>
                    <Match when={screen() === 'impor' && isAdmin()}>
                      <Imports />
                    </Match>
                    <Match when={screen() === 'hasil'}>
                      <Hasil />
                    </Match>
                    <Match when={screen() === 'stok'}>
                      <Stok />
                    </Match>
                  </Switch>
                </Match>
              </Switch>
            </Suspense>
          </ErrorBoundary>
        </main>
        <UpdatePrompt />
      </div>
    </Provider>
  );
}
