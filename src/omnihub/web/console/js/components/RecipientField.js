// Whom a new e-mail goes to: an address typed in, or a contact found by name or address (GET /contacts?q=).
import { api, SignedOut } from '../api.js';
import { html, useEffect, useState } from '../html.js';
import { t } from '../i18n.js';

const SEARCH_AFTER_MS = 250;

function useContactSearch(text) {
  const [found, setFound] = useState([]);
  useEffect(() => {
    const query = text.trim();
    if (query.length < 2) {
      setFound([]);
      return undefined;
    }
    let current = true;
    const timer = setTimeout(() => {
      api.searchContacts(query).then(
        (page) => current && setFound(page.items.filter((c) => c.email)),
        (error) => error instanceof SignedOut || console.warn('omnihub console: contacts:', error.message),
      );
    }, SEARCH_AFTER_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);
  return found;
}

/** value: { email, name }; a chosen contact fills both, typing sets the address (and forgets the name). */
export function RecipientField({ value, onChange }) {
  const found = useContactSearch(value.email);
  const matches = found.filter((c) => c.email !== value.email);
  return html`
    <div class="recipient-field">
      <label>
        <span>${t('compose.to')}</span>
        <input type="text" dir="ltr" autocomplete="off" inputmode="email" required value=${value.email}
          placeholder=${t('compose.toHint')} onInput=${(e) => onChange({ email: e.currentTarget.value, name: '' })} />
      </label>
      ${matches.length > 0 &&
      html`<ul class="contact-matches" aria-label=${t('compose.matches')}>
        ${matches.map(
          (c) => html`<li key=${c.id}>
            <button type="button" class="secondary" onClick=${() => onChange({ email: c.email, name: c.name || '' })}>
              <span dir="auto">${c.name || c.email}</span> <span dir="ltr">${c.name ? c.email : ''}</span>
            </button>
          </li>`,
        )}
      </ul>`}
    </div>`;
}
