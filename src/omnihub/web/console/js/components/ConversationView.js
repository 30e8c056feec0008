// The open conversation: who and what it is about, the timeline, the reply box.
import { useContact } from '../contacts.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { contactLabel } from './ConversationList.js';
import { ReplyBox } from './ReplyBox.js';
import { Timeline } from './Timeline.js';

export function ConversationView({ conversation, state, user, onSent }) {
  const contact = useContact(conversation.contact_id);
  const name = contactLabel(contact, conversation.contact_id);
  return html`
    <main class="conversation" aria-labelledby="conversation-title">
      <header class="conversation-header">
        <h2 id="conversation-title" dir="auto">${name}</h2>
        ${conversation.subject && html`<p class="subject" dir="auto">${conversation.subject}</p>`}
        <span class=${`status ${conversation.status}`}>${t(`status.${conversation.status}`)}</span>
      </header>
      <${Timeline} messages=${state.messages} loaded=${state.messagesLoaded} contactName=${name} user=${user} />
      <${ReplyBox} conversationId=${conversation.id} onSent=${onSent} />
    </main>`;
}
