// The admins' settings: inboxes (members, editing, mail sync), users, teams and API tokens.
import { html, useState } from '../html.js';
import { t } from '../i18n.js';
import { LanguagePicker } from './LanguagePicker.js';
import { SettingsInboxes } from './SettingsInboxes.js';
import { SettingsTeams } from './SettingsTeams.js';
import { SettingsTokens } from './SettingsTokens.js';
import { SettingsUsers } from './SettingsUsers.js';

const PAGES = {
  inboxes: { label: 'settings.inboxes', Page: SettingsInboxes },
  users: { label: 'settings.users', Page: SettingsUsers },
  teams: { label: 'admin.page.teams', Page: SettingsTeams },
  tokens: { label: 'admin.page.tokens', Page: SettingsTokens },
};

export function Settings({ user, onSignOut }) {
  const [page, setPage] = useState('inboxes');
  const { Page } = PAGES[page];
  return html`
    <div class="settings">
      <header class="top-bar">
        <h1>${t('settings.title')}</h1>
        ${user && html`<span class="who" dir="auto">${user.name}</span>`}
        <${LanguagePicker} />
        <button type="button" class="sign-out" onClick=${onSignOut}>${t('signOut')}</button>
      </header>
      <div class="settings-pages" role="group" aria-label=${t('settings.title')}>
        ${Object.entries(PAGES).map(
          ([name, { label }]) => html`
            <button type="button" class="secondary" aria-pressed=${page === name} onClick=${() => setPage(name)}>
              ${t(label)}
            </button>`,
        )}
      </div>
      <main class="settings-body">
        <${Page} key=${page} me=${user} />
      </main>
    </div>`;
}
