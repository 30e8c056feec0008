// The list of keyboard shortcuts, in a modal <dialog> (Escape or the button closes it).
import { html, useEffect, useRef } from '../html.js';
import { t } from '../i18n.js';
import { SHORTCUTS } from '../useShortcuts.js';

export function ShortcutsDialog({ onClose }) {
  const dialog = useRef(null);
  useEffect(() => {
    dialog.current.showModal();
  }, []);
  return html`
    <dialog class="shortcuts" ref=${dialog} aria-labelledby="shortcuts-title" onClose=${onClose}>
      <h2 id="shortcuts-title">${t('shortcuts.title')}</h2>
      <dl>
        ${SHORTCUTS.map(
          ({ keys, action }) => html`
            <div key=${action}>
              <dt>${keys.map((key, i) => html`${i ? ` ${t('shortcuts.or')} ` : ''}<kbd>${key}</kbd>`)}</dt>
              <dd>${t(action)}</dd>
            </div>`,
        )}
      </dl>
      <button type="button" onClick=${() => dialog.current.close()}>${t('shortcuts.close')}</button>
    </dialog>`;
}
