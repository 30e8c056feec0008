// The agents of one inbox: who sees its conversations. Admins see every inbox, so only agents are offered.
import { adminApi } from '../api.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { SettingsMemberEditor } from './SettingsMemberEditor.js';

export function SettingsMembers({ inbox }) {
  const group = {
    key: `inbox-${inbox.id}`,
    title: t('members.of', { name: inbox.name }),
    none: t('members.none'),
    chooser: t('members.agent'),
    choose: t('members.choose'),
    eligible: (user) => user.role === 'agent',
    listIds: () => adminApi.listMemberIds(inbox.id),
    add: (userId) => adminApi.addMember(inbox.id, userId),
    remove: (userId) => adminApi.removeMember(inbox.id, userId),
  };
  return html`<${SettingsMemberEditor} group=${group} />`;
}
