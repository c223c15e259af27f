// Pengguna (ADMIN): the office's accounts — add one (a one-time password is shown once), reset a
// password, deactivate or reactivate. Roles and districts decide what each sees (README).
import { createResource, createSignal, For, Show } from 'solid-js';
import type { Role } from '../auth/session.ts';
import type { MessageKey } from '../i18n/dictionary.ts';
import { locale, t } from '../i18n/locale.ts';
import { createUser, fetchDistricts, fetchUsers, resetPassword, setActive, type UserRow } from './users-api.ts';

const ROLES: Role[] = ['ADMIN', 'SUPERVISOR', 'OPERATOR', 'VIEWER'];

const when = (iso: string | null) =>
  iso ? new Intl.DateTimeFormat(locale() === 'en' ? 'en-GB' : 'id-ID', { timeZone: 'Asia/Jakarta', dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso)) : '—';

export default function Users() {
  const [users, { refetch }] = createResource(fetchUsers);
  const [districts] = createResource(() => fetchDistricts().catch(() => []));
  const [notice, setNotice] = createSignal<{ text: string; tone: 'info' | 'error' } | null>(null);
  const [form, setForm] = createSignal({ username: '', displayName: '', role: 'OPERATOR' as Role, team: '', districtCodes: [] as string[] });
  const districtName = (code: string) => districts()?.find((d) => d.code === code)?.name ?? code;

  const act = async (work: () => Promise<string>) => {
    try {
      setNotice({ text: await work(), tone: 'info' });
      await refetch();
    } catch (error) {
      setNotice({ text: (error as Error).message, tone: 'error' });
    }
  };

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const input = form();
    void act(async () => {
      const password = await createUser(input);
      setForm({ ...input, username: '', displayName: '' });
      return t('users.created', { username: input.username.trim().toLowerCase(), password });
    });
  };

  const reset = (user: UserRow) => act(async () => t('users.reset', { username: user.username, password: await resetPassword(user.id) }));
  const toggle = (user: UserRow) => act(async () => (await setActive(user, !user.active), t(user.active ? 'users.deactivated' : 'users.activated', { username: user.username })));

  return (
    <section class="screen users">
      <div class="screen-head">
        <h1>{t('users.title')}</h1>
      </div>
      <Show when={notice()}>
        <p class={`notice tone-${notice()!.tone}`} role="status" data-testid="users-notice">
          {notice()!.text}
        </p>
      </Show>
      <form class="user-form" onSubmit={submit} data-testid="user-form">
        <input placeholder={t('login.username')} required value={form().username} onInput={(e) => setForm({ ...form(), username: e.currentTarget.value })} name="username" />
        <input placeholder={t('users.displayName')} required value={form().displayName} onInput={(e) => setForm({ ...form(), displayName: e.currentTarget.value })} name="displayName" />
        <select value={form().role} onChange={(e) => setForm({ ...form(), role: e.currentTarget.value as Role })} name="role">
          <For each={ROLES}>{(r) => <option value={r}>{t(`role.${r}` as MessageKey)}</option>}</For>
        </select>
        <input placeholder={t('users.team')} value={form().team} onInput={(e) => setForm({ ...form(), team: e.currentTarget.value })} name="team" />
        <select multiple size={3} title={t('users.districtsHint')} onChange={(e) => setForm({ ...form(), districtCodes: [...e.currentTarget.selectedOptions].map((o) => o.value) })} name="districts">
          <For each={districts() ?? []}>{(d) => <option value={d.code}>{d.name}</option>}</For>
        </select>
        <button type="submit" class="button">
          {t('users.add')}
        </button>
      </form>
      <div class="table-wrap">
        <table class="plain" data-testid="users-table">
          <thead>
            <tr>
              <th>{t('login.username')}</th>
              <th>{t('users.displayName')}</th>
              <th>{t('users.role')}</th>
              <th>{t('users.team')}</th>
              <th>{t('users.districts')}</th>
              <th>{t('users.lastLogin')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            <For each={users() ?? []}>
              {(user) => (
                <tr classList={{ inactive: !user.active }} data-username={user.username}>
                  <td>{user.username}</td>
                  <td>{user.displayName}</td>
                  <td>{t(`role.${user.role}` as MessageKey)}</td>
                  <td>{user.team ?? ''}</td>
                  <td>{user.districtCodes.length ? user.districtCodes.map(districtName).join(', ') : t('users.wholeOffice')}</td>
                  <td>{when(user.lastLoginAt)}</td>
                  <td class="actions">
                    <button type="button" onClick={() => void reset(user)}>
                      {t('users.resetButton')}
                    </button>
                    <button type="button" onClick={() => void toggle(user)}>
                      {t(user.active ? 'users.deactivate' : 'users.activate')}
                    </button>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}
