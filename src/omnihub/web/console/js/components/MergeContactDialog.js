// "Merge contact": find another record of the same person (GET /contacts?q=) and fold it into this one,
// after a confirmation. An agent may merge only contacts whose every conversation they can see; the
// hub's 403 is said in words (an admin can do it).
import { api, ApiError, SignedOut } from '../api.js';
import { html, useEffect, useRef, useState } from '../html.js';
import { t } from '../i18n.js';
import { contactLabel } from './ConversationList.js';

function useSearch(query, excludeId) {
  const [found, setFound] = useState([]);
  useEffect(() => {
    if (!query.trim()) {
      setFound([]);
      return undefined;
    }
    let current = true;
    const timer = setTimeout(() => {
      api.searchContacts(query.trim()).then(
        (page) => current && setFound(page.items.filter((c) => c.id !== excludeId)),
        (error) => error instanceof SignedOut || console.warn('omnihub console: contacts:', error.message),
      );
    }, 250); // one request per pause in typing, not per key
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, excludeId]);
  return found;
}

function reasonFor(failure) {
  if (failure instanceof ApiError && failure.status === 403) return t('contactEdit.mergeForbidden');
  return t('contactEdit.mergeFailed');
}

function Candidates({ found, onChoose }) {
  return html`
    <ul class="merge-candidates" aria-label=${t('contactEdit.found')}>
      ${found.map((c) => html`
        <li key=${c.id}>
          <button type="button" class="link" onClick=${() => onChoose(c)}>
            <span dir="auto">${contactLabel(c, c.id)}</span>
            ${c.email && html` <span class="muted" dir="auto">${c.email}</span>`}
          </button>
        </li>`)}
    </ul>`;
}

function MergeDialog({ contact, onMerged, onClose }) {
  const dialog = useRef(null);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const found = useSearch(query, contact.id);
  useEffect(() => dialog.current.showModal(), []);

  async function merge() {
    setBusy(true);
    setError('');
    try {
      onMerged(await api.mergeContact(contact.id, chosen.id), chosen.id);
      dialog.current.close();
    } catch (failure) {
      if (!(failure instanceof SignedOut)) setError(reasonFor(failure));
    } finally {
      setBusy(false);
    }
  }

  const names = { other: contactLabel(chosen, chosen?.id), kept: contactLabel(contact, contact.id) };
  return html`
    <dialog class="merge-contact" ref=${dialog} aria-labelledby="merge-title" onClose=${onClose}>
      <h2 id="merge-title">${t('contactEdit.mergeTitle', { name: names.kept })}</h2>
      <label>
        <span>${t('contactEdit.search')}</span>
        <input type="search" dir="auto" value=${query} onInput=${(event) => setQuery(event.currentTarget.value)} />
      </label>
      ${chosen
        ? html`<p class="merge-confirm" dir="auto">${t('contactEdit.mergeConfirm', names)}</p>`
        : html`<${Candidates} found=${found} onChoose=${setChosen} />`}
      ${error && html`<p role="alert" class="error">${error}</p>`}
      <div class="form-buttons">
        ${chosen && html`<button type="button" disabled=${busy} onClick=${merge}>${t('contactEdit.merge')}</button>`}
        <button type="button" class="secondary" onClick=${() => dialog.current.close()}>${t('contactEdit.cancel')}</button>
      </div>
    </dialog>`;
}

export function MergeContactButton({ contact, onMerged }) {
  const [open, setOpen] = useState(false);
  return html`
    <button type="button" class="secondary" onClick=${() => setOpen(true)}>${t('contactEdit.mergeContact')}</button>
    ${open && html`<${MergeDialog} contact=${contact} onMerged=${onMerged} onClose=${() => setOpen(false)} />`}`;
}
