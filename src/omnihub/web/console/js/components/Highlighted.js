// A text with the part a search matched in <mark>. Only text nodes: the text is often the customer's own.
import { html } from '../html.js';
import { matchedParts } from '../searchText.js';

export function Highlighted({ text, query }) {
  return matchedParts(text, query).map((part) => (part.matched ? html`<mark>${part.text}</mark>` : part.text));
}
