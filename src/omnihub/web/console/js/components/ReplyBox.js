// Reply to the contact, or write a private note (never delivered), with POST .../messages. What is being
// written is the agent's draft on the hub (useDraft). Files come from the picker, a drop or a paste
// (useAttachments) and go with the message; an e-mail reply may carry copies (Cc).
import { api, ApiError, SignedOut } from '../api.js';
import { useFocusRequest } from '../deskFocus.js';
import { fileDropHandlers } from '../fileDrop.js';
import { html, useRef, useState } from '../html.js';
import { t } from '../i18n.js';
import { useOwnTyping } from '../typing.js';
import { useAttachments } from '../useAttachments.js';
import { useDraft } from '../useDraft.js';
import { AttachFilesButton } from './AttachFilesButton.js';
import { AttachmentChips } from './AttachmentChips.js';
import { addressesIn, ReplyCc } from './CcField.js';

function failureMessage(failure, withCopies) {
  if (!(failure instanceof ApiError)) return t('reply.failed');
  // 413: larger than the hub takes (its limits changed since the page asked for them).
  if (failure.status === 413) return t('attach.refused');
  // 422 with copies: one of them is not an address (the hub checks each).
  if (failure.status === 422 && withCopies) return t('compose.invalid');
  return t('reply.failed');
}

export function ReplyBox({ conversationId, onSent, isEmail }) {
  const { text, isPrivate, setText, setPrivate, sent } = useDraft(conversationId);
  const [cc, setCc] = useState(''); // e-mail replies only: copies (a note goes to no one)
  const copies = isEmail && !isPrivate ? addressesIn(cc) : [];
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');
  const typing = useOwnTyping(conversationId);
  const files = useAttachments(conversationId);
  const [dragging, setDragging] = useState(false);
  const empty = !text.trim() && !files.files.length;
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
    if (empty || sending) return;
    setSending(true);
    setError('');
    try {
      const more = { attachments: await files.encoded(), ...(copies.length ? { cc: copies } : {}) };
      onSent(await api.postMessage(conversationId, text, isPrivate, more));
      sent();
      files.clear();
      setCc('');
      typing.stopped();
    } catch (failure) {
      if (!(failure instanceof SignedOut)) setError(failureMessage(failure, copies.length > 0));
    } finally {
      setSending(false);
    }
  }

  const sendOnCtrlEnter = (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) send(event);
  };

  return html`
    <form class=${`reply${isPrivate ? ' private' : ''}${dragging ? ' dropping' : ''}`} onSubmit=${send}
      ...${fileDropHandlers(files.add, setDragging)}>
      ${isEmail && !isPrivate && html`<${ReplyCc} value=${cc} onInput=${setCc} />`}
      <textarea ref=${box} aria-label=${t('reply.label')} dir="auto" rows="3"
        placeholder=${isPrivate ? t('reply.notePlaceholder') : t('reply.placeholder')}
        value=${text} onInput=${(e) => write(e.currentTarget.value)} onKeyDown=${sendOnCtrlEnter}></textarea>
      <${AttachmentChips} files=${files.files} problems=${files.problems} onRemove=${files.remove} />
      <div class="reply-actions">
        <${AttachFilesButton} onFiles=${files.add} />
        <label class="private-toggle">
          <input type="checkbox" checked=${isPrivate} onChange=${(e) => setPrivate(e.currentTarget.checked)} />
          <span>${t('reply.private')}</span>
        </label>
        ${error && html`<p role="alert" class="error">${error}</p>`}
        <button type="submit" disabled=${sending || empty}>${t('reply.send')}</button>
      </div>
    </form>`;
}
