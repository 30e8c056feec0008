// The members of one team: any active user, agent or admin, may belong to a team.
import { adminApi } from '../api.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { SettingsMemberEditor } from './SettingsMemberEditor.js';

export function SettingsTeamMembers({ team }) {
  const group = {
    key: `team-${team.id}`,
    title: t('members.of', { name: team.name }),
    none: t('admin.teams.noMembers'),
    chooser: t('admin.teams.user'),
    choose: t('admin.teams.chooseUser'),
    eligible: () => true,
    listIds: () => adminApi.listTeamMemberIds(team.id),
    add: (userId) => adminApi.addTeamMember(team.id, userId),
    remove: (userId) => adminApi.removeTeamMember(team.id, userId),
  };
  return html`<${SettingsMemberEditor} group=${group} />`;
}
