// An e-mail in the timeline: its subject and copies (Cc), the new part, and the quoted history folded
// away behind "Show quoted text". The hub split the text when it parsed the mail (metadata.email.quoted_text);
// in HTML mail the quoted blocks are hidden inside the sandboxed frame's document.
import { html, useMemo, useState } from '../html.js';
import { t } from '../i18n.js';
import { emailFrames } from '../emailHtml.js';
import { HtmlBody } from './HtmlBody.js';

let quoteIds = 0;

function EmailHeaders({ email }) {
  const cc = (email.cc || []).map((a) => (a.name ? `${a.name} <${a.address}>` : a.address));
  if (!email.subject && !cc.length) return null;
  return html`<dl class="email-headers">
    ${email.subject && html`<div><dt>${t('compose.subject')}</dt><dd dir="auto">${email.subject}</dd></div>`}
    ${cc.length > 0 && html`<div><dt>${t('compose.cc')}</dt><dd dir="ltr">${cc.join(', ')}</dd></div>`}
  </dl>`;
}

function QuoteToggle({ shown, controls, onToggle }) {
  return html`<button type="button" class="link quote-toggle" aria-expanded=${shown ? 'true' : 'false'}
    aria-controls=${controls} onClick=${onToggle}>${t(shown ? 'compose.hideQuoted' : 'compose.showQuoted')}</button>`;
}

function HtmlMail({ message }) {
  const [shown, setShown] = useState(false);
  const frames = useMemo(() => emailFrames(message.html), [message.html]);
  const id = useMemo(() => `quoted-${(quoteIds += 1)}`, []);
  if (!frames.folded) return html`<${HtmlBody} message=${message} frame=${frames.full} />`;
  return html`<div id=${id}><${HtmlBody} message=${message} frame=${shown ? frames.full : frames.folded} /></div>
    <${QuoteToggle} shown=${shown} controls=${id} onToggle=${() => setShown(!shown)} />`;
}

function TextMail({ message, quoted }) {
  const [shown, setShown] = useState(false);
  const id = useMemo(() => `quoted-${(quoteIds += 1)}`, []);
  return html`<p class="body" dir="auto">${message.content}</p>
    ${quoted && html`<${QuoteToggle} shown=${shown} controls=${id} onToggle=${() => setShown(!shown)} />
      <p class="body quoted" id=${id} dir="auto" hidden=${!shown}>${quoted}</p>`}`;
}

export function EmailBody({ message }) {
  const email = message.metadata.email;
  return html`<${EmailHeaders} email=${email} />
    ${message.html ? html`<${HtmlMail} message=${message} />` : html`<${TextMail} message=${message} quoted=${email.quoted_text} />`}`;
}
