// The top bar's search: contacts by part of a name, e-mail or phone, conversations by number ("#123").
// An ARIA combobox: the input keeps the focus, Up/Down move through the listbox (aria-activedescendant),
// Enter chooses, Escape closes the list (and a second Escape empties the box).
import { SignedOut } from '../api.js';
import { useFocusRequest } from '../deskFocus.js';
import { html, useEffect, useRef, useState } from '../html.js';
import { t } from '../i18n.js';
import { NoVisibleConversation } from '../useDeskCommands.js';
import { useSearch } from '../useSearch.js';
import { SearchResult } from './SearchResult.js';

const LIST_ID = 'search-results';
const optionId = (index) => `search-option-${index}`;

function Results({ results, active, onChoose, onPoint }) {
  return html`
    <ul class="search-results" role="listbox" id=${LIST_ID} aria-label=${t('search.results')}>
      ${results.items.map(
        (item, index) => html`
          <li role="option" key=${item.key} id=${optionId(index)} aria-selected=${index === active ? 'true' : 'false'}
            class=${`search-result ${item.kind}`} onMouseDown=${(e) => e.preventDefault()}
            onMouseMove=${() => onPoint(index)} onClick=${() => onChoose(item)}>
            <${SearchResult} item=${item} query=${results.query} />
          </li>`,
      )}
    </ul>`;
}

function stateMessage(query, results, problem) {
  if (problem) return problem;
  if (!query.trim() || results.loading) return '';
  if (results.failed) return t('search.failed');
  return results.items.length ? '' : t('search.none');
}

export function SearchBox({ onOpenConversation, onOpenContact }) {
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState(false);
  const [active, setActive] = useState(-1);
  const [problem, setProblem] = useState('');
  const input = useRef(null);
  const results = useSearch(query);
  const items = results.items;
  useEffect(() => setActive(items.length ? 0 : -1), [results]);
  useFocusRequest('search', () => input.current.focus());

  async function choose(item) {
    setExpanded(false);
    try {
      if (item.kind === 'conversation') await onOpenConversation(item.conversation.id);
      else await onOpenContact(item.contact.id);
      setQuery('');
    } catch (error) {
      if (error instanceof SignedOut) return;
      // Gone since it was found (merged away, or the agent left the inbox), or the contact has no conversation.
      setProblem(error instanceof NoVisibleConversation ? t('search.noConversation') : t('search.gone'));
      setExpanded(true);
    }
  }

  function onKeyDown(event) {
    const move = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (move && items.length) {
      event.preventDefault();
      setExpanded(true);
      setActive((current) => (current + move + items.length) % items.length);
    } else if (event.key === 'Enter' && expanded && !results.loading && items[active]) {
      event.preventDefault();
      choose(items[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (expanded) setExpanded(false);
      else setQuery('');
    }
  }

  const showList = expanded && query.trim() !== '' && items.length > 0;
  const message = expanded ? stateMessage(query, results, problem) : '';
  return html`
    <div class="search" role="search" aria-label=${t('search.label')}>
      <input ref=${input} type="text" role="combobox" aria-label=${t('search.label')} dir="auto"
        placeholder=${t('search.placeholder')} autocomplete="off" spellcheck="false"
        aria-autocomplete="list" aria-controls=${showList ? LIST_ID : undefined} aria-expanded=${showList ? 'true' : 'false'}
        aria-activedescendant=${showList && active >= 0 ? optionId(active) : undefined}
        value=${query} onKeyDown=${onKeyDown} onBlur=${() => setExpanded(false)} onFocus=${() => setExpanded(true)}
        onInput=${(e) => {
          setQuery(e.currentTarget.value);
          setProblem('');
          setExpanded(true);
        }} />
      ${showList && html`<${Results} results=${results} active=${active} onChoose=${choose} onPoint=${setActive} />`}
      <p class="search-message" aria-live="polite">${message}</p>
    </div>`;
}
