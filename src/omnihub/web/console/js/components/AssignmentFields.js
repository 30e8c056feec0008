// Who works on the open conversation and how urgent it is: its assignee (a member of its inbox, or
// nobody), its team and its priority, each a select that saves as soon as it changes.
import { api, SignedOut } from '../api.js';
import { html, useEffect, useState } from '../html.js';
import { t } from '../i18n.js';
import { afterNewestPage } from '../timelinePages.js';

const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'];

// Members and teams change seldom, and agents switch conversations often: an inbox's choices are
// asked again only after this long (opening a conversation of that inbox later refreshes them).
const CHOICES_FRESH_MS = 60_000;
const knownChoices = new Map(); // inbox id -> { at, loading: Promise<{members, teams}> }

function choicesOf(inboxId, conversationId) {
  const known = knownChoices.get(inboxId);
  if (known && Date.now() - known.at < CHOICES_FRESH_MS) return known.loading;
  // Asked once the timeline is in: that is what the agent waits for when switching.
  const loading = afterNewestPage(conversationId)
    .then(() => Promise.all([api.listInboxMembers(inboxId), api.listTeams()]))
    .then(([members, teams]) => ({ members: members.members, teams }));
  knownChoices.set(inboxId, { at: Date.now(), loading });
  loading.catch(() => knownChoices.get(inboxId)?.loading === loading && knownChoices.delete(inboxId));
  return loading;
}

/** The inbox's active members and the teams; empty lists until they arrive (or if they cannot). */
function useChoices(inboxId, conversationId) {
  const [choices, setChoices] = useState({ members: [], teams: [] });
  useEffect(() => {
    let current = true;
    choicesOf(inboxId, conversationId).then(
      (found) => current && setChoices(found),
      (error) => error instanceof SignedOut || console.warn('omnihub console: choices:', error.message),
    );
    return () => (current = false);
  }, [inboxId, conversationId]);
  return choices;
}

/** Options for the choices, plus the current value when it is not among them (an admin assigned, say). */
function withCurrent(items, currentId, fallbackLabel) {
  if (currentId == null || items.some((item) => item.id === currentId)) return items;
  return [...items, { id: currentId, name: fallbackLabel(currentId) }];
}

function Choice({ label, className, value, disabled, onChange, children }) {
  return html`
    <label class=${`choice ${className}`}>
      <span>${label}</span>
      <select value=${value} disabled=${disabled} onChange=${(event) => onChange(event.currentTarget.value)}>
        ${children}
      </select>
    </label>`;
}

const idOrNull = (value) => (value === '' ? null : Number(value));

export function AssignmentFields({ conversation, me, busy, change }) {
  const { members, teams } = useChoices(conversation.inbox_id, conversation.id);
  const people = withCurrent(members, conversation.assignee_id, (id) =>
    id === me?.id ? me.name : t('convActions.agentNumber', { id }),
  );
  const groups = withCurrent(teams, conversation.team_id, (id) => t('convActions.teamNumber', { id }));
  return html`
    <${Choice} label=${t('convActions.assignee')} className="assignee-choice" value=${conversation.assignee_id ?? ''}
      disabled=${busy} onChange=${(value) => change({ assignee_id: idOrNull(value) })}>
      <option value="">${t('convActions.nobody')}</option>
      ${people.map((person) => html`<option key=${person.id} value=${person.id}>${person.name}</option>`)}
    <//>
    <${Choice} label=${t('convActions.team')} className="team-choice" value=${conversation.team_id ?? ''}
      disabled=${busy} onChange=${(value) => change({ team_id: idOrNull(value) })}>
      <option value="">${t('convActions.noTeam')}</option>
      ${groups.map((team) => html`<option key=${team.id} value=${team.id}>${team.name}</option>`)}
    <//>
    <${Choice} label=${t('convActions.priority')} className="priority-choice" value=${conversation.priority}
      disabled=${busy} onChange=${(priority) => change({ priority })}>
      ${PRIORITIES.map((p) => html`<option key=${p} value=${p}>${t(`convActions.priorities.${p}`)}</option>`)}
    <//>`;
}
