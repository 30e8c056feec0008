// One option of the search box's list: a conversation by its number, or a contact with what matched.
import { useContact } from '../contacts.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { contactLabel } from './ConversationList.js';
import { Highlighted } from './Highlighted.js';

function ConversationResult({ conversation, query }) {
  const contact = useContact(conversation.contact_id);
  return html`
    <span class="result-title"><${Highlighted} text=${t('search.conversation', { id: conversation.id })} query=${query} /></span>
    <span class="result-detail">
      <span dir="auto">${contactLabel(contact, conversation.contact_id)}</span>
      ${conversation.subject && html` · <span dir="auto">${conversation.subject}</span>`}
      ${` · ${t(`status.${conversation.status}`)}`}
    </span>`;
}

function ContactResult({ contact, query }) {
  const addresses = [contact.email, contact.phone].filter(Boolean);
  return html`
    <span class="result-title" dir="auto">
      <${Highlighted} text=${contact.name || t('contact.unnamed', { id: contact.id })} query=${query} />
    </span>
    ${addresses.map(
      (address) => html`<span class="result-detail" dir="auto" key=${address}><${Highlighted} text=${address} query=${query} /></span>`,
    )}`;
}

export function SearchResult({ item, query }) {
  return item.kind === 'conversation'
    ? html`<${ConversationResult} conversation=${item.conversation} query=${query} />`
    : html`<${ContactResult} contact=${item.contact} query=${query} />`;
}
