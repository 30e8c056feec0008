// Settings > Inboxes: every inbox with, on demand, its members, its edit form and (e-mail) its mail sync
// and quarantine; and forms to create API and e-mail inboxes.
import { adminApi, SignedOut } from '../api.js';
import { html, useEffect, useState } from '../html.js';
import { t } from '../i18n.js';
import { SettingsApiInbox } from './SettingsApiInbox.js';
import { SettingsEmailInbox } from './SettingsEmailInbox.js';
import { SettingsMailSync } from './SettingsMailSync.js';
import { SettingsMembers } from './SettingsMembers.js';

const EDITABLE = new Set(['api', 'email']);

function channelName(type) {
  const key = `channel.${type}`;
  const name = t(key);
  return name === key ? type : name; // a connector the catalogues do not name yet: its own identifier
}

function PanelButton({ inbox, panel, open, onOpen, label, named }) {
  const pressed = open === panel;
  return html`<button type="button" class="secondary" aria-expanded=${pressed} onClick=${() => onOpen(pressed ? null : panel)}
    aria-label=${t(named, { name: inbox.name })}>${t(label)}</button>`;
}

function InboxRow({ inbox, open, onOpen }) {
  const button = (panel, label, named) =>
    html`<${PanelButton} inbox=${inbox} panel=${panel} open=${open} onOpen=${onOpen} label=${label} named=${named} />`;
  return html`
    <li class="settings-row">
      <span dir="auto">${inbox.name}</span>
      <span class="muted">${channelName(inbox.channel_type)}</span>
      <span class="row-actions">
        ${button('members', 'members.title', 'members.of')}
        ${EDITABLE.has(inbox.channel_type) && button('edit', 'admin.inbox.edit', 'admin.inbox.editNamed')}
        ${inbox.channel_type === 'email' && button('sync', 'admin.inbox.sync', 'admin.inbox.syncNamed')}
      </span>
    </li>`;
}

function InboxPanel({ inbox, panel, onSaved }) {
  if (panel === 'members') return html`<${SettingsMembers} inbox=${inbox} />`;
  if (panel === 'sync') return html`<${SettingsMailSync} inbox=${inbox} />`;
  const Form = inbox.channel_type === 'email' ? SettingsEmailInbox : SettingsApiInbox;
  return html`<${Form} inbox=${inbox} onSaved=${onSaved} />`;
}

export function SettingsInboxes() {
  const [inboxes, setInboxes] = useState(null);
  const [failed, setFailed] = useState(false);
  const [open, setOpen] = useState({ id: null, panel: null });

  const load = () =>
    adminApi.listInboxes().then(setInboxes, (error) => error instanceof SignedOut || setFailed(true));
  useEffect(() => {
    load();
  }, []);

  const shown = inboxes?.find((inbox) => inbox.id === open.id);
  return html`
    <section aria-labelledby="inboxes-title">
      <h2 id="inboxes-title">${t('settings.inboxes')}</h2>
      ${failed && html`<p role="alert" class="error">${t('settings.failed')}</p>`}
      ${inboxes && inboxes.length === 0 && html`<p>${t('inboxes.none')}</p>`}
      ${inboxes &&
      html`<ul class="settings-list" aria-label=${t('settings.inboxes')}>
        ${inboxes.map(
          (inbox) => html`<${InboxRow} key=${inbox.id} inbox=${inbox} open=${inbox.id === open.id ? open.panel : null}
            onOpen=${(panel) => setOpen({ id: panel ? inbox.id : null, panel })} />`,
        )}
      </ul>`}
      ${shown && open.panel && html`<${InboxPanel} key=${`${shown.id}-${open.panel}`} inbox=${shown} panel=${open.panel} onSaved=${load} />`}
      <${SettingsApiInbox} onSaved=${load} />
      <${SettingsEmailInbox} onSaved=${load} />
    </section>`;
}
