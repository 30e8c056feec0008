// The form of a new e-mail conversation, in a modal <dialog>: inbox, recipient, copies, subject, text.
// POST /conversations starts it (assigned to the agent); the console then opens it.
import { api, SignedOut } from '../api.js';
import { html, useEffect, useRef, useState } from '../html.js';
import { t } from '../i18n.js';
import { addressesIn, CcField } from './CcField.js';
import { RecipientField } from './RecipientField.js';

function startOf(form) {
  const start = {
    inbox_id: Number(form.inboxId),
    email: form.to.email.trim(),
    subject: form.subject.trim() || null,
    content: form.text,
    cc: addressesIn(form.cc),
  };
  if (form.to.name) start.name = form.to.name;
  return start;
}

function reasonFor(failure) {
  return failure.status === 422 ? t('compose.invalid') : t('compose.failed');
}

export function NewConversationDialog({ inboxes, onStarted, onClose }) {
  const dialog = useRef(null);
  const [form, setForm] = useState({ inboxId: String(inboxes[0].id), to: { email: '', name: '' }, cc: '', subject: '', text: '' });
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => dialog.current.showModal(), []);
  const field = (name) => (e) => setForm({ ...form, [name]: e.currentTarget.value });

  async function send(event) {
    event.preventDefault();
    if (sending) return;
    setSending(true);
    setError('');
    try {
      const started = await api.startConversation(startOf(form));
      onStarted(started.conversation.id);
    } catch (failure) {
      if (!(failure instanceof SignedOut)) setError(reasonFor(failure));
      setSending(false);
    }
  }

  return html`
    <dialog class="new-conversation-dialog" ref=${dialog} aria-labelledby="new-conversation-title" onClose=${onClose}>
      <form onSubmit=${send}>
        <h2 id="new-conversation-title">${t('compose.new')}</h2>
        <label>
          <span>${t('compose.inbox')}</span>
          <select value=${form.inboxId} onChange=${field('inboxId')}>
            ${inboxes.map((inbox) => html`<option key=${inbox.id} value=${String(inbox.id)}>${inbox.name}</option>`)}
          </select>
        </label>
        <${RecipientField} value=${form.to} onChange=${(to) => setForm({ ...form, to })} />
        <${CcField} value=${form.cc} onInput=${(cc) => setForm({ ...form, cc })} />
        <label>
          <span>${t('compose.subject')}</span>
          <input type="text" dir="auto" maxlength="998" value=${form.subject} onInput=${field('subject')} />
        </label>
        <label>
          <span>${t('compose.message')}</span>
          <textarea dir="auto" rows="6" required value=${form.text} onInput=${field('text')}></textarea>
        </label>
        ${error && html`<p role="alert" class="error">${error}</p>`}
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick=${() => dialog.current.close()}>${t('compose.cancel')}</button>
          <button type="submit" disabled=${sending || !form.text.trim() || !form.to.email.trim()}>${t('reply.send')}</button>
        </div>
      </form>
    </dialog>`;
}
