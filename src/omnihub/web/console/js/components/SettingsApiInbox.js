// Create an API inbox, or edit one (`inbox` given): a name, the URL the hub posts agents' replies to,
// and the secret those posts are signed with. The secret is write-only: the page only says whether one
// is stored, and an empty "Replace" field keeps it.
import { adminApi } from '../api.js';
import { html, useState } from '../html.js';
import { t } from '../i18n.js';
import { useAction } from '../useAction.js';

// What GET /inboxes shows for a secret that is set; never a secret itself.
const STORED = '********';

function changesOf({ name, callbackUrl, secret }, editing) {
  const config = {};
  if (callbackUrl.trim()) config.callback_url = callbackUrl.trim();
  else if (editing) config.callback_url = null; // emptied: the stored URL goes
  if (secret) config.secret = secret;
  return { name, config };
}

export function SettingsApiInbox({ inbox, onSaved }) {
  const editing = Boolean(inbox);
  const [name, setName] = useState(inbox?.name ?? '');
  const [callbackUrl, setCallbackUrl] = useState(inbox?.config?.callback_url ?? '');
  const [secret, setSecret] = useState('');
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const titleId = editing ? `edit-api-inbox-${inbox.id}` : 'api-inbox-title';

  async function submit(event) {
    event.preventDefault();
    setSaved(false);
    const changes = changesOf({ name, callbackUrl, secret }, editing);
    const work = editing
      ? () => adminApi.updateInbox(inbox.id, changes)
      : () => adminApi.createInbox(changes.name, 'api', changes.config);
    if (!(await run(work))) return;
    setSecret('');
    if (!editing) {
      setName('');
      setCallbackUrl('');
    }
    setSaved(editing);
    onSaved();
  }

  const secretLabel = editing ? t('admin.api.replaceSecret') : t('admin.api.secret');
  return html`
    <form class="settings-form" onSubmit=${submit} aria-labelledby=${titleId}>
      <h3 id=${titleId} dir="auto">${editing ? t('admin.edit.title', { name: inbox.name }) : t('inboxes.newApi')}</h3>
      <label>
        <span>${t('inboxes.name')}</span>
        <input required maxlength="200" dir="auto" value=${name} onInput=${(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        <span>${t('inboxes.callbackUrl')}</span>
        <input type="url" dir="ltr" value=${callbackUrl} onInput=${(e) => setCallbackUrl(e.currentTarget.value)} />
      </label>
      <label>
        <span>${secretLabel}</span>
        <input type="password" dir="ltr" minlength="16" maxlength="256" autocomplete="new-password" value=${secret}
          onInput=${(e) => setSecret(e.currentTarget.value)} />
      </label>
      ${editing &&
      html`<p class="hint">${inbox.config?.secret === STORED ? t('admin.api.secretStored') : t('admin.api.noSecret')}</p>`}
      ${error && html`<p role="alert" class="error">${error}</p>`}
      ${saved && html`<p role="status">${t('admin.edit.saved')}</p>`}
      <button type="submit" disabled=${busy}>${editing ? t('admin.edit.save') : t('inboxes.create')}</button>
    </form>`;
}
