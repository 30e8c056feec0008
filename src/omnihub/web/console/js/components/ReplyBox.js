// Reply to the contact, or write a private note (never delivered), with POST .../messages. What is being
// written is the agent's draft on the hub (useDraft).
import { api, SignedOut } from '../api.js';
import { useFocusRequest } from '../deskFocus.js';
import { html, useRef, useState } from '../html.js';
import { t } from '../i18n.js';
import { useOwnTyping } from '../typing.js';
import { useDraft } from '../useDraft.js';
import { addressesIn, ReplyCc } from './CcField.js';

export function ReplyBox({ conversationId, onSent, isEmail }) {
  const { text, isPrivate, setText, setPrivate, sent } = useDraft(conversationId);
  const [cc, setCc] = useState(''); // e-mail replies only: copies (a note goes to no one)
  const copies = isEmail && !isPrivate ? addressesIn(cc) : [];
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');
  const typing = useOwnTyping(conversationId);
  const box = useRef(null);
  // r / n and the command palette: write a reply, or a private note, here.
  useFocusRequest('compose', (mode) => {
    if ((mode === 'note') !== isPrivate) setPrivate(mode === 'note');
    box.current.focus();
  });
  // A private note is not announced: the contact would see an agent typing and then receive nothing.
  const write = (value) => {
    setText(value);
    if (isPrivate) typing.stopped();
    else typing.typed();
  };

  async function send(event) {
    event.preventDefault();
    if (!text.trim() || sending) return;
    setSending(true);
    setError('');
    try {
      onSent(await api.postMessage(conversationId, text, isPrivate, copies.length ? { cc: copies } : {}));
      sent();
      setCc('');
      typing.stopped();
    } catch (failure) {
      // A 422 with copies: one of them is not an address (the hub checks each).
      const badCopies = failure.status === 422 && copies.length > 0;
      if (!(failure instanceof SignedOut)) setError(t(badCopies ? 'compose.invalid' : 'reply.failed'));
    } finally {
      setSending(false);
    }
  }

  const sendOnCtrlEnter = (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) send(event);
  };

  return html`
    <form class=${`reply${isPrivate ? ' private' : ''}`} onSubmit=${send}>
      ${isEmail && !isPrivate && html`<${ReplyCc} value=${cc} onInput=${setCc} />`}
      <textarea ref=${box} aria-label=${t('reply.label')} dir="auto" rows="3"
        placeholder=${isPrivate ? t('reply.notePlaceholder') : t('reply.placeholder')}
        value=${text} onInput=${(e) => write(e.currentTarget.value)} onKeyDown=${sendOnCtrlEnter}></textarea>
      <div class="reply-actions">
        <label class="private-toggle">
          <input type="checkbox" checked=${isPrivate} onChange=${(e) => setPrivate(e.currentTarget.checked)} />
          <span>${t('reply.private')}</span>
        </label>
        ${error && html`<p role="alert" class="error">${error}</p>`}
        <button type="submit" disabled=${sending || !text.trim()}>${t('reply.send')}</button>
      </div>
    </form>`;
}
