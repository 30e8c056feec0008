// Create an API inbox: a name, and the URL the hub posts agents' replies to (optional).
import { adminApi } from '../api.js';
import { html, useState } from '../html.js';
import { t } from '../i18n.js';
import { useAction } from '../useAction.js';

export function SettingsApiInbox({ onCreated }) {
  const [name, setName] = useState('');
  const [callbackUrl, setCallbackUrl] = useState('');
  const { busy, error, run } = useAction();

  async function submit(event) {
    event.preventDefault();
    const config = callbackUrl.trim() ? { callback_url: callbackUrl.trim() } : {};
    if (await run(() => adminApi.createInbox(name, 'api', config))) {
      setName('');
      setCallbackUrl('');
      onCreated();
    }
  }

  return html`
    <form class="settings-form" onSubmit=${submit} aria-labelledby="api-inbox-title">
      <h3 id="api-inbox-title">${t('inboxes.newApi')}</h3>
      <label>
        <span>${t('inboxes.name')}</span>
        <input required maxlength="200" dir="auto" value=${name} onInput=${(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        <span>${t('inboxes.callbackUrl')}</span>
        <input type="url" dir="ltr" value=${callbackUrl} onInput=${(e) => setCallbackUrl(e.currentTarget.value)} />
      </label>
      ${error && html`<p role="alert" class="error">${error}</p>`}
      <button type="submit" disabled=${busy}>${t('inboxes.create')}</button>
    </form>`;
}
