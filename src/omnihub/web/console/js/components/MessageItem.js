// One timeline entry. Customer content is only ever a text child (never innerHTML), with dir="auto".
import { html, memo } from '../html.js';
import { formatTime, t } from '../i18n.js';
import { EmailBody } from './EmailBody.js';
import { HtmlBody } from './HtmlBody.js';
import { MessageAttachments } from './MessageAttachments.js';

function authorOf(message, contactName, user) {
  if (message.direction === 'incoming') return contactName;
  if (user && message.sender_user_id === user.user_id) return t('message.you');
  return message.sender_user_id == null ? t('message.system') : t('message.agent');
}

function Body({ message }) {
  if (message.metadata?.email) return html`<${EmailBody} message=${message} />`;
  if (message.html) return html`<${HtmlBody} message=${message} />`;
  return html`<p class="body" dir="auto">${message.content}</p>`;
}

// Timelines re-render on every event of the open conversation: messages that did not change are skipped.
export const MessageItem = memo(function MessageItem({ message, contactName, user }) {
  const time = html`<time datetime=${message.created_at}>${formatTime(message.created_at)}</time>`;
  if (message.kind === 'activity') {
    return html`<li class="activity"><span dir="auto">${message.content}</span> ${time}</li>`;
  }
  const note = message.kind === 'note' || message.private;
  const side = message.direction === 'incoming' ? 'incoming' : 'outgoing';
  const delivery = side === 'outgoing' && !note && message.delivery_status;
  return html`
    <li class=${`message ${side}${note ? ' note' : ''}`}>
      <header>
        <span class="author" dir="auto">${authorOf(message, contactName, user)}</span>
        ${note && html`<span class="badge">${t('message.privateNote')}</span>`}
        ${time}
      </header>
      <${Body} message=${message} />
      ${message.attachments?.length > 0 && html`<${MessageAttachments} attachments=${message.attachments} />`}
      ${delivery && html`<p class=${`delivery ${delivery}`}>${t(`delivery.${delivery}`)}</p>`}
    </li>`;
});
