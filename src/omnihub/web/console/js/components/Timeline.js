// A conversation's messages, notes and activities, oldest first, kept scrolled to the newest.
import { html, useEffect, useRef } from '../html.js';
import { t } from '../i18n.js';
import { MessageItem } from './MessageItem.js';

export function Timeline({ messages, loaded, contactName, user }) {
  const list = useRef(null);
  const last = messages.length ? messages[messages.length - 1].id : null;
  useEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [last]);
  return html`
    <ol class="timeline" ref=${list} aria-label=${t('timeline.label')} aria-busy=${!loaded}>
      ${messages.map((m) => html`<${MessageItem} key=${m.id} message=${m} contactName=${contactName} user=${user} />`)}
    </ol>`;
}
