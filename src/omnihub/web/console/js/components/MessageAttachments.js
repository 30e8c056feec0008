// A message's files: every one a download link with its name (customer-controlled: text, dir="auto") and
// size; images of the types the hub serves inline (GET /attachments/limits) also as a thumbnail that
// opens larger. Anything else (SVG and HTML included) is never shown, only downloaded.
import { attachmentLimits, attachmentUrl, formatSize, isInlineImage } from '../attachments.js';
import { html, useEffect, useState } from '../html.js';
import { t } from '../i18n.js';
import { ImagePreview } from './ImagePreview.js';

function useLimits() {
  const [policy, setPolicy] = useState(null);
  useEffect(() => {
    let current = true;
    attachmentLimits().then((found) => current && setPolicy(found));
    return () => {
      current = false;
    };
  }, []);
  return policy;
}

function Attachment({ attachment, policy, onOpen }) {
  const url = attachmentUrl(attachment);
  const image = isInlineImage(attachment, policy);
  return html`
    <li class=${image ? 'attachment image' : 'attachment'}>
      ${image &&
      html`<button type="button" class="thumbnail" aria-label=${t('attach.open', { name: attachment.filename })}
        onClick=${() => onOpen({ ...attachment, href: url })}>
        <img src=${url} alt="" loading="lazy" />
      </button>`}
      <a href=${url} download=${attachment.filename} dir="auto">${attachment.filename}</a>
      <span class="attach-size">${formatSize(attachment.size)}</span>
    </li>`;
}

/** Rendered only for a message with files: the limits are asked (once per page) only when needed. */
export function MessageAttachments({ attachments }) {
  const policy = useLimits();
  const [opened, setOpened] = useState(null);
  return html`
    <ul class="attachments" aria-label=${t('message.attachments')}>
      ${attachments.map(
        (a) => html`<${Attachment} key=${a.id} attachment=${a} policy=${policy} onOpen=${setOpened} />`,
      )}
    </ul>
    ${opened && html`<${ImagePreview} image=${opened} onClose=${() => setOpened(null)} />`}`;
}
