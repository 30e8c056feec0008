// The open conversation: who and what it is about, what the agent can do to it, the timeline, the reply
// box; the contact beside it.
import { useContact } from '../contacts.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { isEmailInbox, useInboxes } from '../inboxes.js';
import { ContactPanel } from './ContactPanel.js';
import { ConversationActions } from './ConversationActions.js';
import { contactLabel } from './ConversationList.js';
import { ReplyBox } from './ReplyBox.js';
import { Timeline } from './Timeline.js';
import { TypingIndicator } from './TypingIndicator.js';
import { useOwnViewing } from '../viewing.js';
import { ViewersNotice } from './ViewersNotice.js';

export function ConversationView({ conversation, state, user, actions }) {
  const contact = useContact(conversation.contact_id);
  const name = contactLabel(contact, conversation.contact_id);
  const myId = state.me?.id ?? user?.id;
  useOwnViewing(conversation.id, myId);
  const isEmail = useInboxes().some((inbox) => inbox.id === conversation.inbox_id && isEmailInbox(inbox));
  return html`
    <div class="open-conversation">
      <main class="conversation" aria-labelledby="conversation-title">
        <header class="conversation-header">
          <h2 id="conversation-title" dir="auto">${name}</h2>
          ${conversation.subject && html`<p class="subject" dir="auto">${conversation.subject}</p>`}
          <span class=${`status ${conversation.status}`}>${t(`status.${conversation.status}`)}</span>
          <${ConversationActions} conversation=${conversation} me=${state.me}
            onUpdate=${actions.update} onMarkUnread=${actions.markUnread} />
        </header>
        <${Timeline} messages=${state.messages} loaded=${state.messagesLoaded} contactName=${name} user=${user}
          hasOlder=${state.olderCursors[conversation.id] != null} onLoadOlder=${actions.loadOlder} />
        <${ViewersNotice} conversationId=${conversation.id} myId=${myId} />
        <${TypingIndicator} conversationId=${conversation.id} myId=${myId} />
        <${ReplyBox} conversationId=${conversation.id} onSent=${actions.addSent} isEmail=${isEmail} />
      </main>
      <${ContactPanel} conversation=${conversation} onOpen=${actions.openElsewhere} onMerged=${actions.contactsMerged} />
    </div>`;
}
