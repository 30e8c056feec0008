// Settings > Inboxes: every inbox, its members on demand, and forms to create API and e-mail inboxes.
import { adminApi, SignedOut } from '../api.js';
import { html, useEffect, useState } from '../html.js';
import { t } from '../i18n.js';
import { SettingsApiInbox } from './SettingsApiInbox.js';
import { SettingsEmailInbox } from './SettingsEmailInbox.js';
import { SettingsMembers } from './SettingsMembers.js';

function channelName(type) {
  const key = `channel.${type}`;
  const name = t(key);
  return name === key ? type : name; // a connector the catalogues do not name yet: its own identifier
}

function InboxRow({ inbox, open, onToggle }) {
  return html`
    <li class="settings-row">
      <span dir="auto">${inbox.name}</span>
      <span class="muted">${channelName(inbox.channel_type)}</span>
      <button type="button" class="secondary" aria-expanded=${open} onClick=${onToggle}
        aria-label=${t('members.of', { name: inbox.name })}>${t('members.title')}</button>
    </li>`;
}

export function SettingsInboxes() {
  const [inboxes, setInboxes] = useState(null);
  const [failed, setFailed] = useState(false);
  const [openId, setOpenId] = useState(null);

  const load = () =>
    adminApi.listInboxes().then(setInboxes, (error) => error instanceof SignedOut || setFailed(true));
  useEffect(() => {
    load();
  }, []);

  const open = inboxes?.find((inbox) => inbox.id === openId);
  return html`
    <section aria-labelledby="inboxes-title">
      <h2 id="inboxes-title">${t('settings.inboxes')}</h2>
      ${failed && html`<p role="alert" class="error">${t('settings.failed')}</p>`}
      ${inboxes && inboxes.length === 0 && html`<p>${t('inboxes.none')}</p>`}
      ${inboxes &&
      html`<ul class="settings-list" aria-label=${t('settings.inboxes')}>
        ${inboxes.map(
          (inbox) => html`<${InboxRow} key=${inbox.id} inbox=${inbox} open=${inbox.id === openId}
            onToggle=${() => setOpenId(inbox.id === openId ? null : inbox.id)} />`,
        )}
      </ul>`}
      ${open && html`<${SettingsMembers} key=${open.id} inbox=${open} />`}
      <${SettingsApiInbox} onCreated=${load} />
      <${SettingsEmailInbox} onCreated=${load} />
    </section>`;
}
