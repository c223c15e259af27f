// The signed-in user in the top bar: name, role, and Keluar.
import { Show } from 'solid-js';
import { logout, me } from '../auth/session.ts';
import { t } from '../i18n/locale.ts';
import type { MessageKey } from '../i18n/dictionary.ts';

export function UserMenu() {
  return (
    <Show when={me()}>
      {(user) => (
        <div class="user-menu" aria-label={t('user.menu')} data-testid="user-menu">
          <span class="user-name">{user().displayName}</span>
          <span class="user-role" data-testid="user-role">
            {t(`role.${user().role}` as MessageKey)}
            {user().team ? ` · ${user().team}` : ''}
          </span>
          <button type="button" class="locale-switch" onClick={() => void logout()} data-testid="logout">
            {t('user.logout')}
          </button>
        </div>
      )}
    </Show>
  );
}
