// The list of keyboard shortcuts, and what Enter does in the reply box, in a modal <dialog> (Escape or the
// button closes it).
import { html, useEffect, useRef } from '../html.js';
import { t } from '../i18n.js';
import { REPLY_KEYS, SHORTCUTS } from '../useShortcuts.js';

function KeyList({ entries, label }) {
  return html`
    <dl aria-label=${label}>
      ${entries.map(
        ({ keys, action }) => html`
          <div key=${action}>
            <dt>${keys.map((key, i) => html`${i ? ` ${t('shortcuts.or')} ` : ''}<kbd>${key}</kbd>`)}</dt>
            <dd>${t(action)}</dd>
          </div>`,
      )}
    </dl>`;
}

export function ShortcutsDialog({ onClose }) {
  const dialog = useRef(null);
  useEffect(() => {
    dialog.current.showModal();
  }, []);
  return html`
    <dialog class="shortcuts" ref=${dialog} aria-labelledby="shortcuts-title" onClose=${onClose}>
      <h2 id="shortcuts-title">${t('shortcuts.title')}</h2>
      <${KeyList} entries=${SHORTCUTS} label=${t('shortcuts.title')} />
      <h3>${t('shortcuts.replyBox')}</h3>
      <${KeyList} entries=${REPLY_KEYS} label=${t('shortcuts.replyBox')} />
      <button type="button" onClick=${() => dialog.current.close()}>${t('shortcuts.close')}</button>
    </dialog>`;
}
