// Create an e-mail inbox (docs/channels/email.md), or edit one (`inbox` given): the IMAP mailbox it follows
// and the SMTP server replies leave by. Passwords are write-only: the hub never sends them back, these
// inputs start empty, and editing, an empty one keeps the stored password.
import { adminApi } from '../api.js';
import { EMPTY_EMAIL_FORM, emailConfigOf, emailFormOf } from '../emailInboxForm.js';
import { html, useState } from '../html.js';
import { t } from '../i18n.js';
import { useAction } from '../useAction.js';
import { ServerFields } from './SettingsServerFields.js';

const IMAP_REQUIRED = ['host', 'port', 'username', 'folders'];

export function SettingsEmailInbox({ inbox, onSaved }) {
  const editing = Boolean(inbox);
  const [form, setForm] = useState(() => (editing ? emailFormOf(inbox) : EMPTY_EMAIL_FORM));
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const set = (name) => (value) => setForm({ ...form, [name]: value });
  const titleId = editing ? `edit-email-inbox-${inbox.id}` : 'email-inbox-title';

  async function submit(event) {
    event.preventDefault();
    setSaved(false);
    const config = emailConfigOf(form, { editing });
    const work = editing
      ? () => adminApi.updateInbox(inbox.id, { name: form.name, config })
      : () => adminApi.createInbox(form.name, 'email', config);
    if (!(await run(work))) return;
    // Either way the passwords typed are dropped from the page at once.
    const withoutPasswords = { ...form, imap: { ...form.imap, password: '' }, smtp: { ...form.smtp, password: '' } };
    setForm(editing ? withoutPasswords : EMPTY_EMAIL_FORM);
    setSaved(editing);
    onSaved();
  }

  return html`
    <form class="settings-form" onSubmit=${submit} aria-labelledby=${titleId}>
      <h3 id=${titleId} dir="auto">${editing ? t('admin.edit.title', { name: inbox.name }) : t('inboxes.newEmail')}</h3>
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
      <${ServerFields} kind="imap" server=${form.imap} onChange=${set('imap')} editing=${editing}
        required=${editing ? IMAP_REQUIRED : [...IMAP_REQUIRED, 'password']} />
      <${ServerFields} kind="smtp" server=${form.smtp} onChange=${set('smtp')} editing=${editing}
        required=${['host', 'port']} />
      ${error && html`<p role="alert" class="error">${error}</p>`}
      ${saved && html`<p role="status">${t('admin.edit.saved')}</p>`}
      <button type="submit" disabled=${busy}>${editing ? t('admin.edit.save') : t('inboxes.create')}</button>
    </form>`;
}
