// The agents of one inbox: who sees its conversations. Admins see every inbox, so only agents are offered.
import { adminApi, SignedOut } from '../api.js';
import { html, useEffect, useState } from '../html.js';
import { t } from '../i18n.js';
import { useAction } from '../useAction.js';

function useMembership(inboxId) {
  const [users, setUsers] = useState(null);
  const [memberIds, setMemberIds] = useState([]);
  const [failed, setFailed] = useState(false);
  const load = () =>
    Promise.all([adminApi.listUsers(), adminApi.listMemberIds(inboxId)]).then(
      ([all, members]) => {
        setUsers(all);
        setMemberIds(members.user_ids);
      },
      (error) => error instanceof SignedOut || setFailed(true),
    );
  useEffect(() => {
    load();
  }, [inboxId]);
  return { users, memberIds, failed, load };
}

export function SettingsMembers({ inbox }) {
  const { users, memberIds, failed, load } = useMembership(inbox.id);
  const [chosen, setChosen] = useState('');
  const { busy, error, run } = useAction();
  if (failed) return html`<p role="alert" class="error">${t('settings.failed')}</p>`;
  if (!users) return html`<p aria-busy="true"></p>`;

  const members = users.filter((user) => memberIds.includes(user.id));
  const candidates = users.filter((u) => u.role === 'agent' && u.is_active && !memberIds.includes(u.id));
  const change = async (work) => (await run(work)) && load();
  const add = (event) => {
    event.preventDefault();
    if (chosen) change(() => adminApi.addMember(inbox.id, Number(chosen))).then(() => setChosen(''));
  };

  return html`
    <section class="settings-members" aria-labelledby="members-title">
      <h3 id="members-title">${t('members.of', { name: inbox.name })}</h3>
      ${members.length === 0 && html`<p>${t('members.none')}</p>`}
      <ul class="settings-list" aria-label=${t('members.title')}>
        ${members.map(
          (user) => html`
            <li key=${user.id} class="settings-row">
              <span dir="auto">${user.name}</span>
              <span class="muted" dir="ltr">${user.email}</span>
              <button type="button" class="secondary" disabled=${busy}
                aria-label=${t('members.removeNamed', { name: user.name })}
                onClick=${() => change(() => adminApi.removeMember(inbox.id, user.id))}>${t('members.remove')}</button>
            </li>`,
        )}
      </ul>
      <form class="settings-inline" onSubmit=${add}>
        <label>
          <span>${t('members.agent')}</span>
          <select aria-label=${t('members.agent')} value=${chosen} onChange=${(e) => setChosen(e.currentTarget.value)}>
            <option value="">${t('members.choose')}</option>
            ${candidates.map((user) => html`<option value=${String(user.id)}>${user.name} (${user.email})</option>`)}
          </select>
        </label>
        <button type="submit" disabled=${busy || !chosen}>${t('members.add')}</button>
      </form>
      ${error && html`<p role="alert" class="error">${error}</p>`}
    </section>`;
}
