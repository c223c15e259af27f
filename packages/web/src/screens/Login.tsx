// Masuk: username and password; the server's message (wrong password, locked until 14.05)
// is shown as it comes, in the language chosen in the top bar.
import { createSignal, Show } from 'solid-js';
import { login } from '../auth/session.ts';
import { serverForm } from '../auth/server-form.ts';
import { t } from '../i18n/locale.ts';

export default function Login() {
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const { error, busy, submit } = serverForm(() => login(username(), password()));

  return (
    <section class="login">
      <form class="login-card" onSubmit={submit} data-testid="login-form">
        <div class="login-brand">
          <img src="/icons/icon-192.png" alt="" width="40" height="40" />
          <h1>{t('login.title')}</h1>
        </div>
        <label>
          <span>{t('login.username')}</span>
          <input name="username" autocomplete="username" required value={username()} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label>
          <span>{t('login.password')}</span>
          <input name="password" type="password" autocomplete="current-password" required value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <Show when={error()}>
          <p class="form-error" role="alert" data-testid="login-error">
            {error()}
          </p>
        </Show>
        <button type="submit" class="primary" disabled={busy()}>
          {busy() ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </section>
  );
}
