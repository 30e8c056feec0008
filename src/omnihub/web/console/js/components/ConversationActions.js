// What an agent does to the open conversation from its header: take it or give it to someone (or a team),
// set its status and priority, label it, snooze it, mark it unread. Each change saves at once; the hub
// notes it in the timeline, and other agents see it live.
import { ApiError, SignedOut } from '../api.js';
import { html, useRef, useState } from '../html.js';
import { t } from '../i18n.js';
import { AssignmentFields } from './AssignmentFields.js';
import { LabelEditor } from './LabelEditor.js';
import { SnoozeMenu } from './SnoozeMenu.js';

const STATUSES = ['open', 'pending', 'resolved'];

function reasonFor(failure) {
  // The hub's 422 names the rule (a snooze in the past, too many labels): worth showing as it is.
  if (failure instanceof ApiError && failure.status === 422 && failure.message) {
    return t('convActions.invalid', { detail: failure.message });
  }
  return t('actions.failed');
}

/** run(action) resolves to whether it succeeded; a failure is shown in words, the last one only. */
function useChange() {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  async function run(action) {
    setBusy(true);
    setError('');
    try {
      await action();
      return true;
    } catch (failure) {
      if (!(failure instanceof SignedOut)) setError(reasonFor(failure));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { error, busy, run };
}

/**
 * Changes are sent one after another, each computed from the conversation as the previous one left it
 * (`changes` may be a function of it): a label added while another change is saving is not lost.
 */
function useQueuedChanges(conversation, onUpdate, run) {
  const latest = useRef(conversation);
  const queue = useRef(Promise.resolve());
  latest.current = conversation;
  return (changes) => {
    const next = queue.current.then(() =>
      run(async () => {
        const body = typeof changes === 'function' ? changes(latest.current) : changes;
        latest.current = await onUpdate(conversation.id, body);
      }),
    );
    queue.current = next;
    return next;
  };
}

export function ConversationActions({ conversation, me, onUpdate, onMarkUnread }) {
  const { error, busy, run } = useChange();
  const change = useQueuedChanges(conversation, onUpdate, run);
  const mine = me != null && conversation.assignee_id === me.id;
  return html`
    <div class="conversation-actions">
      ${mine
        ? html`<span class="assignee">${t('actions.assignedToYou')}</span>`
        : html`<button type="button" disabled=${busy || me == null}
            onClick=${() => change({ assignee_id: me.id })}>${t('actions.assignToMe')}</button>`}
      <div class="status-choice" role="group" aria-label=${t('actions.status')}>
        ${STATUSES.map(
          (status) => html`
            <button type="button" key=${status} aria-pressed=${conversation.status === status ? 'true' : 'false'}
              disabled=${busy} onClick=${() => change({ status })}>
              ${t(`status.${status}`)}
            </button>`,
        )}
      </div>
      <${SnoozeMenu} conversation=${conversation} busy=${busy} change=${change} />
      <button type="button" class="secondary" disabled=${busy || conversation.unread}
        onClick=${() => run(() => onMarkUnread(conversation.id))}>${t('actions.markUnread')}</button>
    </div>
    <div class="conversation-fields">
      <${AssignmentFields} conversation=${conversation} me=${me} busy=${busy} change=${change} />
      <${LabelEditor} labels=${conversation.labels || []} busy=${busy} change=${change} />
    </div>
    ${error && html`<p role="alert" class="error">${error}</p>`}`;
}
