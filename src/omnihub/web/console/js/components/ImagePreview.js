// An image attachment, larger, in a modal <dialog> (Escape or the button closes it), with a link to open
// it alone in a new tab.
import { html, useEffect, useRef } from '../html.js';
import { t } from '../i18n.js';

export function ImagePreview({ image, onClose }) {
  const dialog = useRef(null);
  useEffect(() => {
    dialog.current.showModal();
  }, []);
  return html`
    <dialog class="image-preview" ref=${dialog} aria-labelledby="image-preview-title" onClose=${onClose}>
      <h2 id="image-preview-title" dir="auto">${image.filename}</h2>
      <img src=${image.href} alt=${image.filename} />
      <div class="image-preview-actions">
        <a href=${image.href} target="_blank" rel="noopener noreferrer">${t('attach.newTab')}</a>
        <button type="button" onClick=${() => dialog.current.close()}>${t('attach.close')}</button>
      </div>
    </dialog>`;
}
