// Issue a named API token, for yourself or (admins) another user, valid until revoked or a chosen day.
// The answer carries the token: it is shown here once, with a copy button, and forgotten when dismissed
// or when the page is left (the hub keeps only its hash).
import { adminApi, SignedOut } from '../api.js';
import { html, useEffect, useState } from '../html.js';
import { t } from '../i18n.js';
import { useAction } from '../useAction.js';

// The chosen day's end, in the browser's time zone: the token works through that whole day.
function endOfDay(day) {
  return day ? new Date(`${day}T23:59:59`).toISOString() : null;
}

function IssuedToken({ issued, onDone }) {
  const [copied, setCopied] = useState('');
  const copy = () =>
    navigator.clipboard.writeText(issued.token).then(
      () => setCopied(t('admin.tokens.copied')),
      () => setCopied(t('admin.tokens.copyFailed')),
    );
  return html`
    <div class="issued-token" role="group" aria-labelledby="issued-token-title">
      <p id="issued-token-title">${t('admin.tokens.showOnce', { name: issued.name })}</p>
      <input readonly dir="ltr" aria-label=${t('admin.tokens.newToken')} value=${issued.token}
        onFocus=${(e) => e.currentTarget.select()} />
      <span class="row-actions">
        <button type="button" onClick=${copy}>${t('admin.tokens.copy')}</button>
        <button type="button" class="secondary" onClick=${onDone}>${t('admin.tokens.done')}</button>
      </span>
      ${copied && html`<p role="status">${copied}</p>`}
    </div>`;
}

export function NewTokenForm({ me, onCreated }) {
  const [users, setUsers] = useState([]);
  const [form, setForm] = useState({ name: '', userId: '', day: '' });
  const [issued, setIssued] = useState(null);
  const { busy, error, run } = useAction();
  useEffect(() => {
    adminApi.listUsers().then(setUsers, (e) => e instanceof SignedOut || setUsers([]));
  }, []);
  const field = (name) => (event) => setForm({ ...form, [name]: event.currentTarget.value });

  async function submit(event) {
    event.preventDefault();
    const body = { name: form.name, expires_at: endOfDay(form.day) };
    if (form.userId) body.user_id = Number(form.userId);
    if (await run(async () => setIssued(await adminApi.createToken(body)))) {
      setForm({ name: '', userId: '', day: '' });
      onCreated();
    }
  }

  return html`
    <form class="settings-form" onSubmit=${submit} aria-labelledby="new-token-title">
      <h3 id="new-token-title">${t('admin.tokens.new')}</h3>
      <label><span>${t('admin.tokens.name')}</span>
        <input required maxlength="200" dir="auto" value=${form.name} onInput=${field('name')} /></label>
      <label><span>${t('admin.tokens.user')}</span>
        <select value=${form.userId} onChange=${field('userId')}>
          <option value="">${t('admin.tokens.forMe', { name: me?.name ?? '' })}</option>
          ${users
            .filter((user) => user.is_active && user.id !== me?.user_id)
            .map((user) => html`<option value=${String(user.id)}>${user.name} (${user.email})</option>`)}
        </select></label>
      <label><span>${t('admin.tokens.expiresOn')}</span>
        <input type="date" value=${form.day} onInput=${field('day')} /></label>
      ${error && html`<p role="alert" class="error">${error}</p>`}
      <button type="submit" disabled=${busy}>${t('admin.tokens.create')}</button>
      ${issued && html`<${IssuedToken} issued=${issued} onDone=${() => setIssued(null)} />`}
    </form>`;
}
