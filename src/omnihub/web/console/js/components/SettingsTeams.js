// Settings > Teams: every team, its members on demand, and a form to create one.
import { adminApi, SignedOut } from '../api.js';
import { html, useEffect, useState } from '../html.js';
import { t } from '../i18n.js';
import { useAction } from '../useAction.js';
import { SettingsTeamMembers } from './SettingsTeamMembers.js';

function NewTeamForm({ onCreated }) {
  const [name, setName] = useState('');
  const { busy, error, run } = useAction();
  async function submit(event) {
    event.preventDefault();
    if (await run(() => adminApi.createTeam(name), { 409: t('admin.teams.exists') })) {
      setName('');
      onCreated();
    }
  }
  return html`
    <form class="settings-form" onSubmit=${submit} aria-labelledby="new-team-title">
      <h3 id="new-team-title">${t('admin.teams.new')}</h3>
      <label><span>${t('admin.teams.name')}</span>
        <input required maxlength="200" dir="auto" value=${name} onInput=${(e) => setName(e.currentTarget.value)} /></label>
      ${error && html`<p role="alert" class="error">${error}</p>`}
      <button type="submit" disabled=${busy}>${t('admin.teams.create')}</button>
    </form>`;
}

export function SettingsTeams() {
  const [teams, setTeams] = useState(null);
  const [failed, setFailed] = useState(false);
  const [openId, setOpenId] = useState(null);
  const load = () => adminApi.listTeams().then(setTeams, (e) => e instanceof SignedOut || setFailed(true));
  useEffect(() => {
    load();
  }, []);
  const open = teams?.find((team) => team.id === openId);

  return html`
    <section aria-labelledby="teams-title">
      <h2 id="teams-title">${t('admin.page.teams')}</h2>
      ${failed && html`<p role="alert" class="error">${t('settings.failed')}</p>`}
      ${teams && teams.length === 0 && html`<p>${t('admin.teams.none')}</p>`}
      ${teams &&
      html`<ul class="settings-list" aria-label=${t('admin.page.teams')}>
        ${teams.map(
          (team) => html`
            <li key=${team.id} class="settings-row">
              <span dir="auto">${team.name}</span>
              <button type="button" class="secondary" aria-expanded=${team.id === openId}
                aria-label=${t('members.of', { name: team.name })}
                onClick=${() => setOpenId(team.id === openId ? null : team.id)}>${t('members.title')}</button>
            </li>`,
        )}
      </ul>`}
      ${open && html`<${SettingsTeamMembers} key=${open.id} team=${open} />`}
      <${NewTeamForm} onCreated=${load} />
    </section>`;
}
