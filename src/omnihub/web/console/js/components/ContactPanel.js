// Who the open conversation is with: the contact's name (which the agent may edit), the addresses this
// agent may see (each said to be verified or not), and the contact's other conversations, fetched afresh
// whenever a conversation opens or another contact is merged into this one.
import { api, SignedOut } from '../api.js';
import { mergesInto, rememberContact, useContact } from '../contacts.js';
import { html, useEffect, useState } from '../html.js';
import { t } from '../i18n.js';
import { afterNewestPage } from '../timelinePages.js';
import { ContactNameEditor } from './ContactNameEditor.js';
import { contactLabel } from './ConversationList.js';
import { MergeContactButton } from './MergeContactDialog.js';

function useFreshContact(contactId, conversationId, merges) {
  const [contact, setContact] = useState(undefined);
  useEffect(() => {
    let current = true;
    // Asked for once the timeline is in: that is what the agent waits for when switching.
    afterNewestPage(conversationId).then(() => api.getContact(contactId)).then(
      (loaded) => {
        if (!current) return;
        setContact(loaded);
        rememberContact(loaded);
      },
      (error) => error instanceof SignedOut || console.warn('omnihub console: contact:', error.message),
    );
    return () => (current = false);
  }, [contactId, conversationId, merges]);
  const replace = (loaded) => {
    setContact(loaded);
    rememberContact(loaded);
  };
  return [contact, replace];
}

function Identity({ identity }) {
  const state = identity.verified ? 'verified' : 'unverified';
  return html`
    <li class="identity">
      <span class="kind">${identity.kind}</span>
      <span class="address" dir="auto">${identity.address}</span>
      <span class=${`badge ${state}`}>${t(`contact.${state}`)}</span>
    </li>`;
}

function OtherConversations({ conversations, onOpen }) {
  if (!conversations.length) return html`<p class="empty">${t('contact.noOther')}</p>`;
  return html`
    <ul class="other-conversations" aria-label=${t('contact.otherConversations')}>
      ${conversations.map(
        (c) => html`
          <li key=${c.id}>
            <button type="button" class="link" onClick=${() => onOpen(c.id)}>
              <span dir="auto">${c.subject || t('contact.conversationNumber', { id: c.id })}</span>
              <span class=${`status ${c.status}`}> · ${t(`status.${c.status}`)}</span>
            </button>
          </li>`,
      )}
    </ul>`;
}

export function ContactPanel({ conversation, onOpen, onMerged }) {
  const shared = useContact(conversation.contact_id); // live: a rename anywhere shows at once
  const merges = mergesInto(conversation.contact_id);
  const [contact, replace] = useFreshContact(conversation.contact_id, conversation.id, merges);
  const others = (contact?.conversations || []).filter((c) => c.id !== conversation.id);
  const merged = (loaded, otherId) => {
    replace(loaded);
    onMerged(loaded, otherId);
  };
  return html`
    <section class="contact-panel" aria-labelledby="contact-panel-title" aria-busy=${contact === undefined}>
      <h2 id="contact-panel-title">${t('contact.title')}</h2>
      <p class="contact-name" dir="auto">${contactLabel(shared || contact, conversation.contact_id)}</p>
      ${contact && html`
        <div class="contact-tools">
          <${ContactNameEditor} contact=${shared || contact} onRenamed=${replace} />
          <${MergeContactButton} contact=${shared || contact} onMerged=${merged} />
        </div>
        <h3>${t('contact.identities')}</h3>
        <ul class="identities" aria-label=${t('contact.identities')}>
          ${(contact.identities || []).map((i) => html`<${Identity} key=${i.id} identity=${i} />`)}
        </ul>
        <h3>${t('contact.otherConversations')}</h3>
        <${OtherConversations} conversations=${others} onOpen=${onOpen} />`}
    </section>`;
}
