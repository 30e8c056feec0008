// The fields of one mail server (IMAP or SMTP) in the e-mail inbox form. Editing, the password input
// is a "Replace password" field that starts empty: the stored one is never sent to the page.
import { html } from '../html.js';
import { t } from '../i18n.js';

const SECURITY = ['tls', 'starttls', 'none'];

export function ServerFields({ kind, server, onChange, required, editing }) {
  const input = (name, attributes = {}) => html`
    <label>
      <span>${attributes.label || t(`email.${name}`)}</span>
      <input name=${`${kind}-${name}`} dir="ltr" value=${server[name]} required=${required.includes(name)}
        onInput=${(e) => onChange({ ...server, [name]: e.currentTarget.value })} ...${attributes} />
    </label>`;
  const password = editing
    ? { type: 'password', autocomplete: 'new-password', label: t('admin.edit.replacePassword') }
    : { type: 'password', autocomplete: 'new-password' };
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
      ${input('password', password)}
      ${editing && html`<p class="hint">${t('admin.edit.keepHint')}</p>`}
      ${server.folders !== undefined && input('folders')}
    </fieldset>`;
}
