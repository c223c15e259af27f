// The small state of a form that asks the server once per submit (login, password change): busy
// while it waits, then the server's message (or none), or "server unreachable".
import { createSignal } from 'solid-js';
import { t } from '../i18n/locale.ts';

/**
 * `send` returns the server's message, or null when it accepted. `check` may refuse before
 * sending (e.g. the two new passwords differ), with the message to show.
 */
export function serverForm(send: () => Promise<string | null>, check: () => string | null = () => null) {
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const refused = check();
    if (refused) return setError(refused);
    setBusy(true);
    setError(null);
    try {
      setError(await send());
    } catch {
      setError(t('login.unreachable'));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, submit };
}
