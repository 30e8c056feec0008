// The admins' settings: inboxes (with their members) and users.
import { html, useState } from '../html.js';
import { t } from '../i18n.js';
import { LanguagePicker } from './LanguagePicker.js';
import { SettingsInboxes } from './SettingsInboxes.js';
import { SettingsUsers } from './SettingsUsers.js';

const PAGES = ['inboxes', 'users'];

export function Settings({ user, onSignOut }) {
  const [page, setPage] = useState('inboxes');
  return html`
    <div class="settings">
      <header class="top-bar">
        <h1>${t('settings.title')}</h1>
        ${user && html`<span class="who" dir="auto">${user.name}</span>`}
        <${LanguagePicker} />
        <button type="button" class="sign-out" onClick=${onSignOut}>${t('signOut')}</button>
      </header>
      <div class="settings-pages" role="group" aria-label=${t('settings.title')}>
        ${PAGES.map(
          (name) => html`
            <button type="button" class="secondary" aria-pressed=${page === name} onClick=${() => setPage(name)}>
              ${t(`settings.${name}`)}
            </button>`,
        )}
      </div>
      <main class="settings-body">
        ${page === 'inboxes' ? html`<${SettingsInboxes} />` : html`<${SettingsUsers} me=${user} />`}
      </main>
    </div>`;
}
