// Settings > Users: everyone who can sign in, a form to add someone, and deactivating (never deleting:
// their messages keep their author).
import { adminApi, SignedOut } from '../api.js';
import { html, useEffect, useState } from '../html.js';
import { t } from '../i18n.js';
import { useAction } from '../useAction.js';

const EMPTY = { email: '', name: '', role: 'agent', password: '' };

function UserRow({ user, me, busy, onDeactivate }) {
  const canDeactivate = user.is_active && user.id !== me?.user_id;
  return html`
    <li class="settings-row">
      <span dir="auto">${user.name}</span>
      <span class="muted" dir="ltr">${user.email}</span>
      <span>${t(`role.${user.role}`)}</span>
      ${user.is_active ? '' : html`<span class="muted">${t('users.deactivated')}</span>`}
      ${canDeactivate &&
      html`<button type="button" class="secondary" disabled=${busy} onClick=${onDeactivate}
        aria-label=${t('users.deactivateNamed', { name: user.name })}>${t('users.deactivate')}</button>`}
    </li>`;
}

function NewUserForm({ onCreated }) {
  const [form, setForm] = useState(EMPTY);
  const { busy, error, run } = useAction();
  const field = (name) => (event) => setForm({ ...form, [name]: event.currentTarget.value });
  async function submit(event) {
    event.preventDefault();
    if (await run(() => adminApi.createUser(form))) {
      setForm(EMPTY);
      onCreated();
    }
  }
  return html`
    <form class="settings-form" onSubmit=${submit} aria-labelledby="new-user-title">
      <h3 id="new-user-title">${t('users.new')}</h3>
      <label><span>${t('users.name')}</span>
        <input required maxlength="200" dir="auto" value=${form.name} onInput=${field('name')} /></label>
      <label><span>${t('users.email')}</span>
        <input type="email" required dir="ltr" autocomplete="off" value=${form.email} onInput=${field('email')} /></label>
      <label><span>${t('users.role')}</span>
        <select value=${form.role} onChange=${field('role')}>
          <option value="agent">${t('role.agent')}</option>
          <option value="admin">${t('role.admin')}</option>
        </select></label>
      <label><span>${t('users.password')}</span>
        <input type="password" required minlength="8" autocomplete="new-password"
          value=${form.password} onInput=${field('password')} /></label>
      ${error && html`<p role="alert" class="error">${error}</p>`}
      <button type="submit" disabled=${busy}>${t('users.create')}</button>
    </form>`;
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

  return html`
    <section aria-labelledby="users-title">
      <h2 id="users-title">${t('settings.users')}</h2>
      ${failed && html`<p role="alert" class="error">${t('settings.failed')}</p>`}
      ${users &&
      html`<ul class="settings-list" aria-label=${t('settings.users')}>
        ${users.map(
          (user) => html`<${UserRow} key=${user.id} user=${user} me=${me} busy=${busy}
            onDeactivate=${() => deactivate(user)} />`,
        )}
      </ul>`}
      ${error && html`<p role="alert" class="error">${error}</p>`}
      <${NewUserForm} onCreated=${load} />
    </section>`;
}
