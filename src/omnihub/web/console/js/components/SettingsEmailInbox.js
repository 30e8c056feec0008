// Create an e-mail inbox (docs/channels/email.md): the IMAP mailbox it follows and the SMTP server replies
// leave by. Passwords are write-only: the hub never sends them back, and these inputs start empty.
import { adminApi } from '../api.js';
import { html, useState } from '../html.js';
import { t } from '../i18n.js';
import { useAction } from '../useAction.js';

const EMPTY = {
  name: '',
  from_address: '',
  from_name: '',
  imap: { host: '', port: '993', security: 'tls', username: '', password: '', folders: 'INBOX' },
  smtp: { host: '', port: '587', security: 'starttls', username: '', password: '' },
};
const SECURITY = ['tls', 'starttls', 'none'];

function serverConfig(server) {
  const config = { host: server.host.trim(), port: Number(server.port), security: server.security };
  if (server.username.trim()) config.username = server.username.trim();
  if (server.password) config.password = server.password;
  if (server.folders !== undefined) {
    config.folders = server.folders.split(',').map((f) => f.trim()).filter(Boolean);
  }
  return config;
}

function configOf(form) {
  const config = { imap: serverConfig(form.imap), smtp: serverConfig(form.smtp), from_address: form.from_address.trim() };
  if (form.from_name.trim()) config.from_name = form.from_name.trim();
  return config;
}

function ServerFields({ kind, server, onChange, required }) {
  const input = (name, attributes = {}) => html`
    <label>
      <span>${t(`email.${name}`)}</span>
      <input name=${`${kind}-${name}`} dir="ltr" value=${server[name]} required=${required.includes(name)}
        onInput=${(e) => onChange({ ...server, [name]: e.currentTarget.value })} ...${attributes} />
    </label>`;
  return html`
    <fieldset>
      <legend>${t(`email.${kind}`)}</legend>
      ${input('host')}
      ${input('port', { type: 'number', min: '1', max: '65535' })}
      <label>
        <span>${t('email.security')}</span>
        <select name=${`${kind}-security`} value=${server.security}
          onChange=${(e) => onChange({ ...server, security: e.currentTarget.value })}>
          ${SECURITY.map((s) => html`<option value=${s}>${t(`email.security.${s}`)}</option>`)}
        </select>
      </label>
      ${input('username', { autocomplete: 'off' })}
      ${input('password', { type: 'password', autocomplete: 'new-password' })}
      ${server.folders !== undefined && input('folders')}
    </fieldset>`;
}

export function SettingsEmailInbox({ onCreated }) {
  const [form, setForm] = useState(EMPTY);
  const { busy, error, run } = useAction();
  const set = (name) => (value) => setForm({ ...form, [name]: value });

  async function submit(event) {
    event.preventDefault();
    if (await run(() => adminApi.createInbox(form.name, 'email', configOf(form)))) {
      setForm(EMPTY);
      onCreated();
    }
  }

  return html`
    <form class="settings-form" onSubmit=${submit} aria-labelledby="email-inbox-title">
      <h3 id="email-inbox-title">${t('inboxes.newEmail')}</h3>
      <label>
        <span>${t('inboxes.name')}</span>
        <input required maxlength="200" dir="auto" value=${form.name}
          onInput=${(e) => set('name')(e.currentTarget.value)} />
      </label>
      <label>
        <span>${t('email.fromAddress')}</span>
        <input type="email" required dir="ltr" value=${form.from_address}
          onInput=${(e) => set('from_address')(e.currentTarget.value)} />
      </label>
      <label>
        <span>${t('email.fromName')}</span>
        <input maxlength="200" dir="auto" value=${form.from_name}
          onInput=${(e) => set('from_name')(e.currentTarget.value)} />
      </label>
      <${ServerFields} kind="imap" server=${form.imap} onChange=${set('imap')}
        required=${['host', 'port', 'username', 'password', 'folders']} />
      <${ServerFields} kind="smtp" server=${form.smtp} onChange=${set('smtp')} required=${['host', 'port']} />
      ${error && html`<p role="alert" class="error">${error}</p>`}
      <button type="submit" disabled=${busy}>${t('inboxes.create')}</button>
    </form>`;
}
