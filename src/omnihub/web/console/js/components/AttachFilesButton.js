// "Attach files": a button that opens the browser's file picker (the <input type=file> itself is hidden,
// it cannot be styled without inline style).
import { html, useRef } from '../html.js';
import { t } from '../i18n.js';

export function AttachFilesButton({ onFiles }) {
  const input = useRef(null);
  const chosen = (event) => {
    onFiles(Array.from(event.currentTarget.files));
    event.currentTarget.value = ''; // choosing the same file again after removing it still fires change
  };
  return html`
    <input type="file" multiple hidden ref=${input} tabindex="-1" aria-hidden="true" onChange=${chosen} />
    <button type="button" class="attach-button" onClick=${() => input.current.click()}>${t('attach.button')}</button>`;
}
