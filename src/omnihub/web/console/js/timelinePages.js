// A long timeline is read from its end: the newest page first, older pages when the agent scrolls up
// (GET /conversations/{id}/messages?order=desc). state.olderCursors[conversationId] is the cursor of the
// next older page: undefined before the newest page came, null once the oldest message is loaded.
import { api } from './api.js';

const PAGE_SIZE = 100;

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

async function loadPage(conversationId, cursor, dispatch) {
  const page = await api.listMessagesNewestFirst(conversationId, cursor, PAGE_SIZE);
  dispatch({ type: 'timelinePage', conversationId, items: page.items, olderCursor: page.next_cursor });
}

export function loadNewestPage(conversationId, dispatch) {
  return loadPage(conversationId, null, dispatch);
}

/** The page before the oldest loaded message, if there is one; resolves once it is in the state. */
export function loadOlderPage(state, dispatch) {
  const cursor = state.olderCursors && state.olderCursors[state.selectedId];
  if (!cursor) return Promise.resolve(false);
  return loadPage(state.selectedId, cursor, dispatch).then(() => true);
}
