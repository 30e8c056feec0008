// The signed-in console. Admins get a navigation between the conversations and the settings; agents
// only ever see the conversations (the settings' routes answer them 403 anyway).
import { html } from '../html.js';
import { t } from '../i18n.js';
import { sectionLinks, useSection } from '../useSection.js';
import { MainScreen } from './MainScreen.js';
import { Settings } from './Settings.js';

function AdminNavigation({ section }) {
  const link = (name) => html`
    <a href=${sectionLinks[name]} aria-current=${section === name ? 'page' : undefined}>${t(`nav.${name}`)}</a>`;
  return html`<nav class="admin-nav" aria-label=${t('nav.label')}>${link('conversations')}${link('settings')}</nav>`;
}

export function Workspace({ user, onSignOut }) {
  const section = useSection();
  if (user?.role !== 'admin') return html`<${MainScreen} user=${user} onSignOut=${onSignOut} />`;
  return html`
    <div class="workspace">
      <${AdminNavigation} section=${section} />
      ${section === 'settings'
        ? html`<${Settings} user=${user} onSignOut=${onSignOut} />`
        : html`<${MainScreen} user=${user} onSignOut=${onSignOut} />`}
    </div>`;
}
