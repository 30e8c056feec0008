// Reply to the contact, or write a private note (never delivered), with POST .../messages. What is being
// written is the agent's draft on the hub (useDraft). Files come from the picker, a drop or a paste
// (useAttachments) and go with the message.
import { api, ApiError, SignedOut } from '../api.js';
import { fileDropHandlers } from '../fileDrop.js';
import { html, useState } from '../html.js';
import { t } from '../i18n.js';
import { useOwnTyping } from '../typing.js';
import { useAttachments } from '../useAttachments.js';
import { useDraft } from '../useDraft.js';
import { AttachFilesButton } from './AttachFilesButton.js';
import { AttachmentChips } from './AttachmentChips.js';

// 413: the request was larger than the hub takes (its limits changed since the page asked for them).
const failureMessage = (failure) =>
  t(failure instanceof ApiError && failure.status === 413 ? 'attach.refused' : 'reply.failed');

export function ReplyBox({ conversationId, onSent }) {
  const { text, isPrivate, setText, setPrivate, sent } = useDraft(conversationId);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');
  const typing = useOwnTyping(conversationId);
  const files = useAttachments(conversationId);
  const [dragging, setDragging] = useState(false);
  const empty = !text.trim() && !files.files.length;
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
      onSent(await api.postMessage(conversationId, text, isPrivate, await files.encoded()));
      sent();
      files.clear();
      typing.stopped();
    } catch (failure) {
      if (!(failure instanceof SignedOut)) setError(failureMessage(failure));
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
      <textarea aria-label=${t('reply.label')} dir="auto" rows="3"
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
