// "Sam is viewing": other agents who have the open conversation open too. Shown as a warning, like another
// agent's typing (TypingIndicator), so two agents notice before they both answer the same customer.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { useViewers } from '../viewing.js';

export function ViewersNotice({ conversationId, myId }) {
  const viewers = useViewers(conversationId, myId);
  return html`
    <div class="viewers" aria-live="polite">
      ${viewers.map((viewer) => html`<p key=${viewer.key} class="viewing-collision" dir="auto">${t('presence.viewing', { name: viewer.name })}</p>`)}
    </div>`;
}
