// The files chosen for the reply, each with its size and a button to leave it out, and why a file was
// refused (over the hub's limits).
import { formatSize } from '../attachments.js';
import { html } from '../html.js';
import { t } from '../i18n.js';

export function AttachmentChips({ files, problems, onRemove }) {
  return html`
    ${files.length > 0 &&
    html`<ul class="attach-chips" aria-label=${t('attach.chosen')}>
      ${files.map(
        (file, index) => html`
          <li key=${`${index}:${file.name}`} class="attach-chip">
            <span class="attach-name" dir="auto">${file.name}</span>
            <span class="attach-size">${formatSize(file.size)}</span>
            <button type="button" class="attach-remove" aria-label=${t('attach.remove', { name: file.name })}
              onClick=${() => onRemove(file)}>×</button>
          </li>`,
      )}
    </ul>`}
    ${problems.length > 0 &&
    html`<div role="alert" class="error attach-problems">${problems.map((p, i) => html`<p key=${i} dir="auto">${p}</p>`)}</div>`}`;
}
