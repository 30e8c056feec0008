// An e-mail's formatted body, in a frame that may run nothing and is of no origin (sandbox=""), so that
// nothing in a mail can reach the console, its cookie or the API. `frame` is the document to show
// (emailHtml.js); without it, the whole message.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { frameDocument } from '../emailHtml.js';

export function HtmlBody({ message, frame }) {
  return html`<iframe class="html-body" sandbox="" referrerpolicy="no-referrer" title=${t('message.htmlTitle')}
    srcdoc=${frame || frameDocument(message.html)}></iframe>`;
}
