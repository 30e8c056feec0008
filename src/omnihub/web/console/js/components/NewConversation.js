// "New conversation": the agent writes first, to a contact, from one of their e-mail inboxes. Agents
// without an e-mail inbox do not get the button.
import { html, useState } from '../html.js';
import { t } from '../i18n.js';
import { isEmailInbox, useInboxes } from '../inboxes.js';
import { NewConversationDialog } from './NewConversationDialog.js';

export function NewConversation({ onStarted }) {
  const inboxes = useInboxes().filter(isEmailInbox);
  const [open, setOpen] = useState(false);
  if (!inboxes.length) return null;
  const started = (conversationId) => {
    setOpen(false);
    onStarted(conversationId);
  };
  return html`
    <button type="button" class="new-conversation" aria-haspopup="dialog" onClick=${() => setOpen(true)}>
      ${t('compose.new')}
    </button>
    ${open && html`<${NewConversationDialog} inboxes=${inboxes} onStarted=${started} onClose=${() => setOpen(false)} />`}`;
}
