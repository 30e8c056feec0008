// A long timeline is read from its end: the newest page first, older pages when the agent scrolls up
// (GET /conversations/{id}/messages?order=desc). state.olderCursors[conversationId] is the cursor of the
// next older page: undefined before the newest page came, null once the oldest message is loaded.
import { api } from './api.js';

// The newest page is what a switch waits for: a screenful and some, not more. Older pages come larger,
// while the agent reads.
const NEWEST_PAGE_SIZE = 40;
const OLDER_PAGE_SIZE = 100;
const newestInFlight = new Map(); // conversation id -> its newest page being asked for

/** The timeline with a page of messages merged in, by id, in one sort (a page can be 100 of 5,000). */
export function mergeMessages(messages, items) {
  const byId = new Map(messages.map((m) => [m.id, m]));
  for (const item of items) byId.set(item.id, item);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** Reducer of the 'timelinePage' action; a page of a conversation the agent has left is dropped. */
export function withTimelinePage(state, { conversationId, items, olderCursor }) {
  if (conversationId !== state.selectedId) return state;
  return {
    ...state,
    messages: mergeMessages(state.messages, items),
    messagesLoaded: true,
    olderCursors: { ...state.olderCursors, [conversationId]: olderCursor },
  };
}

async function loadPage(conversationId, cursor, size, dispatch) {
  const page = await api.listMessagesNewestFirst(conversationId, cursor, size);
  dispatch({ type: 'timelinePage', conversationId, items: page.items, olderCursor: page.next_cursor });
}

export function loadNewestPage(conversationId, dispatch) {
  if (newestInFlight.has(conversationId)) return newestInFlight.get(conversationId);
  const loading = loadPage(conversationId, null, NEWEST_PAGE_SIZE, dispatch).finally(() => {
    newestInFlight.delete(conversationId);
  });
  newestInFlight.set(conversationId, loading);
  return loading;
}

/** Resolves once the conversation's newest page is in (or has failed). The other requests of a switch
 * (draft, contact, read mark) wait for it: on a busy hub they would otherwise be answered first. */
export function afterNewestPage(conversationId) {
  return (newestInFlight.get(conversationId) || Promise.resolve()).catch(() => {});
}

/** The page before the oldest loaded message, if there is one; resolves once it is in the state. */
export function loadOlderPage(state, dispatch) {
  const cursor = state.olderCursors && state.olderCursors[state.selectedId];
  if (!cursor) return Promise.resolve(false);
  return loadPage(state.selectedId, cursor, OLDER_PAGE_SIZE, dispatch).then(() => true);
}
