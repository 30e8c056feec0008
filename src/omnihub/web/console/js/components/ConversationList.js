// The list of conversations, in the order the filter bar chose; more pages load as its end scrolls into view.
import { useContact } from '../contacts.js';
import { html, memo, useEffect, useRef } from '../html.js';
import { formatTime, t } from '../i18n.js';
import { ViewTabs } from './ViewTabs.js';
import { WaitingTime } from './WaitingTime.js';

export function contactLabel(contact, contactId) {
  if (!contact) return t('contact.loading');
  return contact.name || contact.email || contact.phone || t('contact.unnamed', { id: contactId });
}

// A switch or a live event changes one or two rows: the others are not rendered again.
const ConversationItem = memo(function ConversationItem({ conversation, preview, selected, onSelect }) {
  const contact = useContact(conversation.contact_id);
  return html`
    <li class=${`conversation-item${selected ? ' selected' : ''}${conversation.unread ? ' unread' : ''}`}>
      <button type="button" aria-current=${selected ? 'true' : undefined} onClick=${() => onSelect(conversation.id)}>
        <span class="contact" dir="auto">${contactLabel(contact, conversation.contact_id)}</span>
        <time datetime=${conversation.last_activity_at}>${formatTime(conversation.last_activity_at)}</time>
        ${conversation.subject && html`<span class="subject" dir="auto">${conversation.subject}</span>`}
        ${preview && html`<span class="preview" dir="auto">${preview}</span>`}
        <span class=${`status ${conversation.status}`}>${t(`status.${conversation.status}`)}</span>
        <${WaitingTime} since=${conversation.waiting_since} />
        ${conversation.unread && html`<span class="unread-marker">${t('conversation.unread')}</span>`}
      </button>
    </li>`;
});

function useEndInView(onVisible, active) {
  const sentinel = useRef(null);
  useEffect(() => {
    if (!active || !sentinel.current) return undefined;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && onVisible());
    observer.observe(sentinel.current);
    return () => observer.disconnect();
  }, [onVisible, active]);
  return sentinel;
}

export function ConversationList(props) {
  const { conversations, previews, selectedId, firstPageLoaded, hasMore, loading, onSelect, onLoadMore } = props;
  const { view, counts, onChooseView, children } = props; // children: the filter bar
  // The first page comes once the live socket follows (useHub). Re-observed after each page: a sentinel
  // still in view after a page that did not fill the list loads the next one.
  const sentinel = useEndInView(onLoadMore, firstPageLoaded && hasMore && !loading);
  return html`
    <nav class="conversations" aria-labelledby="conversations-title">
      <h2 id="conversations-title">${t('conversations.title')}</h2>
      <${ViewTabs} view=${view} counts=${counts} onChoose=${onChooseView} />
      ${children}
      <ul role="list" aria-label=${t('conversations.title')}>
        ${conversations.map(
          (c) => html`<${ConversationItem} key=${c.id} conversation=${c} preview=${previews[c.id]}
            selected=${c.id === selectedId} onSelect=${onSelect} language=${document.documentElement.lang} />`,
        )}
      </ul>
      ${!loading && !hasMore && conversations.length === 0 && html`<p class="empty">${t('conversations.empty')}</p>`}
      ${hasMore && html`<p class="more" ref=${sentinel} aria-busy=${loading}>${t('conversations.loading')}</p>`}
    </nav>`;
}
