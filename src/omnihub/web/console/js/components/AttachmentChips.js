// The files chosen for the reply, each with its size, a small preview for images and a button to leave
// it out; and why a file was refused (over the hub's limits).
import { formatSize } from '../attachments.js';
import { html, useEffect, useState } from '../html.js';
import { t } from '../i18n.js';

const PREVIEWED = /^image\/(png|jpeg|gif|webp)$/;
// A key per chosen file that survives removing another (an index would remake every preview after it).
const keys = new WeakMap();
let nextKey = 0;
const keyOf = (file) => keys.get(file) ?? keys.set(file, ++nextKey).get(file);

// The agent's own image, read by the browser through a blob: URL (the page's CSP allows img-src blob:
// for this), released when the chip goes.
function Preview({ file }) {
  const [url, setUrl] = useState(null);
  useEffect(() => {
    const made = URL.createObjectURL(file);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [file]);
  return url && html`<img class="attach-preview" src=${url} alt="" />`;
}

export function AttachmentChips({ files, problems, onRemove }) {
  return html`
    ${files.length > 0 &&
    html`<ul class="attach-chips" aria-label=${t('attach.chosen')}>
      ${files.map(
        (file) => html`
          <li key=${keyOf(file)} class="attach-chip">
            ${PREVIEWED.test(file.type) && html`<${Preview} file=${file} />`}
            <span class="attach-name" dir="auto">${file.name}</span>
            <span class="attach-size">${formatSize(file.size)}</span>
            <button type="button" class="attach-remove" aria-label=${t('attach.remove', { name: file.name })}
              onClick=${() => onRemove(file)}>×</button>
          </li>`,
      )}
    </ul>`}
    ${problems.length > 0 &&
    html`<div role="alert" class="error attach-problems">
      ${problems.map((problem, i) => html`<p key=${i} dir="auto">${problem}</p>`)}
    </div>`}`;
}
