// An e-mail's formatted body, in a frame that may run nothing and is of no origin (sandbox=""), so that
// nothing in a mail can reach the console, its cookie or the API.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { frameDocument } from '../emailHtml.js';

export function HtmlBody({ message }) {
  return html`<iframe class="html-body" sandbox="" referrerpolicy="no-referrer" title=${t('message.htmlTitle')}
    srcdoc=${frameDocument(message.html)}></iframe>`;
}
