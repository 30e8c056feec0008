// An e-mail's HTML, already sanitized by the hub, made ready for <iframe sandbox="" srcdoc>. The sandbox
// is what keeps it from running anything; this only drops what would reach out or be refused anyway:
// remote images (tracking pixels; the page's CSP refuses them) and styles (the frame inherits the
// page's style-src 'self', which refuses inline styles).
const KEPT_IMAGE = /^data:image\//i;

export function frameDocument(sanitizedHtml) {
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
  return `<!doctype html><html><head><meta charset="utf-8"></head><body>${doc.body.innerHTML}</body></html>`;
}
