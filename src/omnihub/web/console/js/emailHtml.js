// An e-mail's HTML, already sanitized by the hub, made ready for <iframe sandbox="" srcdoc>. The sandbox
// is what keeps it from running anything; this only drops what would reach out or be refused anyway:
// remote images (tracking pixels; the page's CSP refuses them) and styles (the frame inherits the
// page's style-src 'self', which refuses inline styles).
const KEPT_IMAGE = /^data:image\//i;
// How mail clients mark the quoted history (the hub keeps these classes, and no others: domain/html.py).
const QUOTED = 'blockquote, .gmail_quote, .yahoo_quoted, .moz-cite-prefix, .protonmail_quote';

function inertDocument(sanitizedHtml) {
  // DOMParser builds an inert document: nothing in it loads or runs.
  const doc = new DOMParser().parseFromString(sanitizedHtml, 'text/html');
  for (const element of doc.querySelectorAll('script, style, link, meta, base, iframe, object, embed')) {
    element.remove();
  }
  for (const element of doc.querySelectorAll('*')) {
    for (const { name } of [...element.attributes]) {
      if (name.startsWith('on') || name === 'style' || name === 'srcset') element.removeAttribute(name);
    }
  }
  for (const image of doc.querySelectorAll('img')) {
    if (!KEPT_IMAGE.test(image.getAttribute('src') || '')) image.removeAttribute('src');
  }
  return doc;
}

const framed = (doc) => `<!doctype html><html><head><meta charset="utf-8"></head><body>${doc.body.innerHTML}</body></html>`;

export function frameDocument(sanitizedHtml) {
  return framed(inertDocument(sanitizedHtml));
}

/** The frame's document with the quoted history shown and with it hidden (`hidden` needs no style),
 * or null for the second when the mail quotes nothing. */
export function emailFrames(sanitizedHtml) {
  const doc = inertDocument(sanitizedHtml);
  const full = framed(doc);
  const quoted = doc.querySelectorAll(QUOTED);
  if (!quoted.length) return { full, folded: null };
  for (const element of quoted) element.setAttribute('hidden', '');
  return { full, folded: framed(doc) };
}
