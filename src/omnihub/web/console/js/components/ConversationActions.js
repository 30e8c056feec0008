// What an agent does to the open conversation from its header: take it, set its status, mark it unread.
import { SignedOut } from '../api.js';
import { html, useState } from '../html.js';
import { t } from '../i18n.js';

const STATUSES = ['open', 'pending', 'resolved'];

export function ConversationActions({ conversation, me, onUpdate, onMarkUnread }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function run(action) {
    setBusy(true);
    setError('');
    try {
      await action();
    } catch (failure) {
      if (!(failure instanceof SignedOut)) setError(t('actions.failed'));
    } finally {
      setBusy(false);
    }
  }

  const mine = me != null && conversation.assignee_id === me.id;
  return html`
    <div class="conversation-actions">
      ${mine
        ? html`<span class="assignee">${t('actions.assignedToYou')}</span>`
        : html`<button type="button" disabled=${busy || me == null}
            onClick=${() => run(() => onUpdate(conversation.id, { assignee_id: me.id }))}>${t('actions.assignToMe')}</button>`}
      <div class="status-choice" role="group" aria-label=${t('actions.status')}>
        ${STATUSES.map(
          (status) => html`
            <button type="button" key=${status} aria-pressed=${conversation.status === status ? 'true' : 'false'}
              disabled=${busy} onClick=${() => run(() => onUpdate(conversation.id, { status }))}>
              ${t(`status.${status}`)}
            </button>`,
        )}
      </div>
      <button type="button" class="secondary" disabled=${busy || conversation.unread}
        onClick=${() => run(() => onMarkUnread(conversation.id))}>${t('actions.markUnread')}</button>
      ${error && html`<p role="alert" class="error">${error}</p>`}
    </div>`;
}
