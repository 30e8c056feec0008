// The form that adds a user (admins): they sign in with the password given here.
import { adminApi } from '../api.js';
import { html, useState } from '../html.js';
import { t } from '../i18n.js';
import { useAction } from '../useAction.js';

const EMPTY = { email: '', name: '', role: 'agent', password: '' };

export function NewUserForm({ onCreated }) {
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
