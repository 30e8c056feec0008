// Settings > Users: everyone who can sign in, a form to add someone, making someone an admin or an agent
// (the hub keeps at least one active admin: 409), and deactivating (never deleting: their messages keep
// their author).
import { adminApi, SignedOut } from '../api.js';
import { html, useEffect, useState } from '../html.js';
import { t } from '../i18n.js';
import { useAction } from '../useAction.js';
import { NewUserForm } from './SettingsNewUser.js';

function RoleButton({ user, busy, onRole }) {
  const next = user.role === 'admin' ? 'agent' : 'admin';
  return html`<button type="button" class="secondary" disabled=${busy} onClick=${() => onRole(next)}
    aria-label=${t(`admin.users.make.${next}Named`, { name: user.name })}>${t(`admin.users.make.${next}`)}</button>`;
}

function UserRow({ user, me, busy, onDeactivate, onRole }) {
  const canDeactivate = user.is_active && user.id !== me?.user_id;
  return html`
    <li class="settings-row">
      <span dir="auto">${user.name}</span>
      <span class="muted" dir="ltr">${user.email}</span>
      <span>${t(`role.${user.role}`)}</span>
      ${user.is_active ? '' : html`<span class="muted">${t('users.deactivated')}</span>`}
      <span class="row-actions">
      ${user.is_active && html`<${RoleButton} user=${user} busy=${busy} onRole=${onRole} />`}
      ${canDeactivate &&
      html`<button type="button" class="secondary" disabled=${busy} onClick=${onDeactivate}
        aria-label=${t('users.deactivateNamed', { name: user.name })}>${t('users.deactivate')}</button>`}
      </span>
    </li>`;
}

export function SettingsUsers({ me }) {
  const [users, setUsers] = useState(null);
  const [failed, setFailed] = useState(false);
  const { busy, error, run } = useAction();
  const load = () => adminApi.listUsers().then(setUsers, (e) => e instanceof SignedOut || setFailed(true));
  useEffect(() => {
    load();
  }, []);
  const deactivate = async (user) => (await run(() => adminApi.deactivateUser(user.id))) && load();
  const setRole = async (user, role) =>
    (await run(() => adminApi.setRole(user.id, role), { 409: t('admin.users.lastAdmin') })) && load();

  return html`
    <section aria-labelledby="users-title">
      <h2 id="users-title">${t('settings.users')}</h2>
      ${failed && html`<p role="alert" class="error">${t('settings.failed')}</p>`}
      ${users &&
      html`<ul class="settings-list" aria-label=${t('settings.users')}>
        ${users.map(
          (user) => html`<${UserRow} key=${user.id} user=${user} me=${me} busy=${busy}
            onDeactivate=${() => deactivate(user)} onRole=${(role) => setRole(user, role)} />`,
        )}
      </ul>`}
      ${error && html`<p role="alert" class="error">${error}</p>`}
      <${NewUserForm} onCreated=${load} />
    </section>`;
}
