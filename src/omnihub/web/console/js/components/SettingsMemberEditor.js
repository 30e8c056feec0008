// Who belongs to something (an inbox, a team): the members with a Remove button each, and a chooser to
// add one of the `eligible` users. `group` says how to load and change the membership, and its words.
import { adminApi, SignedOut } from '../api.js';
import { html, useEffect, useState } from '../html.js';
import { t } from '../i18n.js';
import { useAction } from '../useAction.js';

function useMembership(group) {
  const [users, setUsers] = useState(null);
  const [memberIds, setMemberIds] = useState([]);
  const [failed, setFailed] = useState(false);
  const load = () =>
    Promise.all([adminApi.listUsers(), group.listIds()]).then(
      ([all, members]) => {
        setUsers(all);
        setMemberIds(members.user_ids);
      },
      (error) => error instanceof SignedOut || setFailed(true),
    );
  useEffect(() => {
    load();
  }, [group.key]);
  return { users, memberIds, failed, load };
}

export function SettingsMemberEditor({ group }) {
  const { users, memberIds, failed, load } = useMembership(group);
  const [chosen, setChosen] = useState('');
  const { busy, error, run } = useAction();
  if (failed) return html`<p role="alert" class="error">${t('settings.failed')}</p>`;
  if (!users) return html`<p aria-busy="true"></p>`;

  const members = users.filter((user) => memberIds.includes(user.id));
  const candidates = users.filter((u) => group.eligible(u) && u.is_active && !memberIds.includes(u.id));
  const change = async (work) => (await run(work)) && load();
  const add = (event) => {
    event.preventDefault();
    if (chosen) change(() => group.add(Number(chosen))).then(() => setChosen(''));
  };
  const titleId = `members-title-${group.key}`;

  return html`
    <section class="settings-members" aria-labelledby=${titleId}>
      <h3 id=${titleId} dir="auto">${group.title}</h3>
      ${members.length === 0 && html`<p>${group.none}</p>`}
      <ul class="settings-list" aria-label=${t('members.title')}>
        ${members.map(
          (user) => html`
            <li key=${user.id} class="settings-row">
              <span dir="auto">${user.name}</span>
              <span class="muted" dir="ltr">${user.email}</span>
              <button type="button" class="secondary" disabled=${busy}
                aria-label=${t('members.removeNamed', { name: user.name })}
                onClick=${() => change(() => group.remove(user.id))}>${t('members.remove')}</button>
            </li>`,
        )}
      </ul>
      <form class="settings-inline" onSubmit=${add}>
        <label>
          <span>${group.chooser}</span>
          <select aria-label=${group.chooser} value=${chosen} onChange=${(e) => setChosen(e.currentTarget.value)}>
            <option value="">${group.choose}</option>
            ${candidates.map((user) => html`<option value=${String(user.id)}>${user.name} (${user.email})</option>`)}
          </select>
        </label>
        <button type="submit" disabled=${busy || !chosen}>${t('members.add')}</button>
      </form>
      ${error && html`<p role="alert" class="error">${error}</p>`}
    </section>`;
}
