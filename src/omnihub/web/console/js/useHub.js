// Wires the main screen's state to the hub: REST pages, the open conversation's timeline, live events.
import { api, announceSignedOut, SignedOut } from './api.js';
import { rememberContact } from './contacts.js';
import { useCallback, useEffect, useReducer, useRef } from './html.js';
import { followHub } from './live.js';
import { initialState, reduce } from './mainState.js';

const MAX_TIMELINE_PAGES = 20;

function ignoreSignedOut(error) {
  if (!(error instanceof SignedOut)) console.warn('omnihub console:', error.message);
}

async function loadTimeline(conversationId, dispatch) {
  let cursor = null;
  for (let page = 0; page < MAX_TIMELINE_PAGES; page += 1) {
    const result = await api.listMessages(conversationId, cursor);
    dispatch({ type: 'messages', conversationId, items: result.items });
    cursor = result.next_cursor;
    if (!cursor) return;
  }
}

function applyEvent(frame, dispatch, current) {
  const { type, data } = frame;
  if (type === 'conversation.created' || type === 'conversation.updated') {
    dispatch({ type: 'conversation', conversation: data });
  } else if (type === 'message.created' || type === 'message.updated') {
    dispatch({ type: 'message', message: data });
    if (!current().conversations.some((c) => c.id === data.conversation_id)) {
      // Activity in a conversation beyond the loaded pages: it now belongs at the top.
      api.getConversation(data.conversation_id).then((c) => dispatch({ type: 'conversation', conversation: c }), ignoreSignedOut);
    }
  } else if (type === 'contact.updated' || type === 'contact.created') {
    rememberContact(data);
  } else if (type === 'contact.merged') {
    rememberContact(data.contact);
  }
}

/** The main screen's state and its actions: loadMore(), select(id), addSent(message). */
export function useHub() {
  const [state, dispatch] = useReducer(reduce, initialState);
  const latest = useRef(state);
  latest.current = state;

  const inFlight = useRef(false); // set at once: a dispatch reaches latest only after the next render

  const loadMore = useCallback(() => {
    if (inFlight.current || latest.current.nextCursor === null) return;
    inFlight.current = true;
    dispatch({ type: 'loading' });
    api
      .listConversations(latest.current.nextCursor)
      .then(
        (page) => dispatch({ type: 'page', items: page.items, nextCursor: page.next_cursor }),
        (error) => {
          dispatch({ type: 'loadFailed' });
          ignoreSignedOut(error);
        },
      )
      .finally(() => (inFlight.current = false));
  }, []);
  const loadFirst = useCallback(() => latest.current.nextCursor === undefined && loadMore(), [loadMore]);

  useEffect(() => {
    const hub = followHub({
      // The list is loaded once the socket is following, so nothing falls between the page and the events.
      onReady: loadFirst,
      onEvent: (frame) => applyEvent(frame, dispatch, () => latest.current),
      onResync: () => dispatch({ type: 'restart' }),
      onSignedOut: announceSignedOut,
      onStatus: (status) => dispatch({ type: 'status', status }),
      checkSession: api.probeSession,
    });
    // Should the socket not come up (a proxy refusing upgrades), the list still loads over REST.
    const fallback = setTimeout(loadFirst, 3000);
    return () => {
      clearTimeout(fallback);
      hub.stop();
    };
  }, [loadFirst]);

  useEffect(() => {
    if (state.selectedId != null) loadTimeline(state.selectedId, dispatch).catch(ignoreSignedOut);
  }, [state.selectedId]);

  const select = useCallback((id) => dispatch({ type: 'select', id }), []);
  const addSent = useCallback((message) => dispatch({ type: 'message', message }), []);
  return { state, loadMore, select, addSent };
}
