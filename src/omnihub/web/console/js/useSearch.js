// The search box's results: asked of the hub after a pause in typing, the answer to an older query ignored.
// Each source answers a query with results in its own words; message text (GET /api/v1/search) is to be
// one more source.
import { api, ApiError, SignedOut } from './api.js';
import { useEffect, useRef, useState } from './html.js';
import { conversationNumber } from './searchText.js';

const PAUSE_MS = 250;
const CONTACTS_SHOWN = 8;

/** "#123" or "123": that conversation, if this agent may see it (the hub answers 404 otherwise). */
async function conversationByNumber(query) {
  const number = conversationNumber(query);
  if (number === null) return [];
  try {
    const conversation = await api.getConversation(number);
    return [{ kind: 'conversation', key: `conversation-${number}`, conversation }];
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 422)) return [];
    throw error;
  }
}

/** Contacts by part of their name, e-mail or phone, as GET /contacts?q= finds the ones this agent may see. */
async function contactsMatching(query) {
  const page = await api.searchContacts(query, CONTACTS_SHOWN);
  return page.items.map((contact) => ({ kind: 'contact', key: `contact-${contact.id}`, contact }));
}

const SOURCES = [conversationByNumber, contactsMatching];

const NOTHING = { query: '', items: [], loading: false, failed: false };

export function useSearch(query) {
  const [results, setResults] = useState(NOTHING);
  const asked = useRef(0); // the latest query's number: an answer carrying another one is stale
  useEffect(() => {
    const text = query.trim();
    const ask = ++asked.current;
    if (!text) {
      setResults(NOTHING);
      return undefined;
    }
    setResults((previous) => ({ ...previous, loading: true }));
    const timer = setTimeout(async () => {
      try {
        const found = await Promise.all(SOURCES.map((source) => source(text)));
        if (ask === asked.current) setResults({ query: text, items: found.flat(), loading: false, failed: false });
      } catch (error) {
        if (error instanceof SignedOut || ask !== asked.current) return;
        console.warn('omnihub console: search:', error.message);
        setResults({ query: text, items: [], loading: false, failed: true });
      }
    }, PAUSE_MS);
    return () => clearTimeout(timer);
  }, [query]);
  return results;
}
