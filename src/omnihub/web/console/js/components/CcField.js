// The "Cc" field of an e-mail: one or more addresses, separated by commas, semicolons or spaces. The hub
// checks each address; this only splits the text.
import { html, useEffect, useRef, useState } from '../html.js';
import { t } from '../i18n.js';

export function addressesIn(text) {
  return text.split(/[\s,;]+/).filter(Boolean);
}

export function CcField({ value, onInput, inputRef }) {
  return html`
    <label class="cc-field">
      <span>${t('compose.cc')}</span>
      <input type="text" dir="ltr" autocomplete="off" inputmode="email" value=${value} ref=${inputRef}
        placeholder=${t('compose.ccHint')} onInput=${(e) => onInput(e.currentTarget.value)} />
    </label>`;
}

/** The reply box's copies: folded away behind a toggle until the agent wants them. */
export function ReplyCc({ value, onInput }) {
  const [open, setOpen] = useState(value !== '');
  const focus = useRef(null);
  useEffect(() => {
    if (open && focus.current && !value) focus.current.focus();
  }, [open]);
  return html`
    <div class="reply-cc">
      <button type="button" class="secondary cc-toggle" aria-expanded=${open ? 'true' : 'false'}
        onClick=${() => setOpen(!open)}>${t('compose.addCc')}</button>
      ${open && html`<${CcField} value=${value} onInput=${onInput} inputRef=${focus} />`}
    </div>`;
}
