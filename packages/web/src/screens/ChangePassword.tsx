// Ganti kata sandi: required after a reset or the first-start admin's one-time password.
import { createSignal, Show } from 'solid-js';
import { changePassword, logout, me } from '../auth/session.ts';
import { serverForm } from '../auth/server-form.ts';
import { t } from '../i18n/locale.ts';

export default function ChangePassword() {
  const [current, setCurrent] = createSignal('');
  const [next, setNext] = createSignal('');
  const [repeat, setRepeat] = createSignal('');
  const { error, busy, submit } = serverForm(
    () => changePassword(current(), next()),
    () => (next() !== repeat() ? t('password.mismatch') : null),
  );

  return (
    <section class="login">
      <form class="login-card" onSubmit={submit} data-testid="change-password-form">
        <h1>{t('password.title')}</h1>
        <p class="muted">
          {me()?.displayName} · {t('password.explain')}
        </p>
        <label>
          <span>{t('password.current')}</span>
          <input name="current" type="password" autocomplete="current-password" required onInput={(e) => setCurrent(e.currentTarget.value)} />
        </label>
        <label>
          <span>{t('password.new')}</span>
          <input name="new" type="password" autocomplete="new-password" minLength={10} required onInput={(e) => setNext(e.currentTarget.value)} />
        </label>
        <label>
          <span>{t('password.repeat')}</span>
          <input name="repeat" type="password" autocomplete="new-password" minLength={10} required onInput={(e) => setRepeat(e.currentTarget.value)} />
        </label>
        <Show when={error()}>
          <p class="form-error" role="alert">
            {error()}
          </p>
        </Show>
        <button type="submit" class="primary" disabled={busy()}>
          {t('password.submit')}
        </button>
        <button type="button" class="link" onClick={() => void logout()}>
          {t('user.logout')}
        </button>
      </form>
    </section>
  );
}
