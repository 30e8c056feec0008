// Wires the main screen's state to the hub: REST pages, the open conversation's timeline, live events.
import { api, announceSignedOut, SignedOut } from './api.js';
import { noteMerge, rememberContact } from './contacts.js';
import { useCallback, useEffect, useReducer, useRef } from './html.js';
import { loadInboxes } from './inboxes.js';
import { listKey, listQuery, storeListChoice } from './listQuery.js';
import { followHub } from './live.js';
import { initialState, reduce } from './mainState.js';
import { alertFor } from './notifications.js';
import { loadNewestPage, loadOlderPage } from './timelinePages.js';
import { noteTypingFrame, setTypingSender } from './typing.js';
import { announceViewingAgain, noteViewingFrame, setViewingSender } from './viewing.js';

function ignoreSignedOut(error) {
  if (!(error instanceof SignedOut)) console.warn('omnihub console:', error.message);
}

function applyEvent(frame, dispatch, current) {
  const { type, data } = frame;
  if (type === 'conversation.created' || type === 'conversation.updated') {
    dispatch({ type: 'conversation', conversation: data });
  } else if (type === 'message.created' || type === 'message.updated') {
    dispatch({ type: 'message', message: data });
    if (type === 'message.created' && data.direction === 'incoming' && data.conversation_id === current().selectedId) {
      api.markRead(data.conversation_id).catch(ignoreSignedOut); // the agent is looking at it
    }
    if (!current().conversations.some((c) => c.id === data.conversation_id)) {
      // Activity in a conversation beyond the loaded pages: it now belongs at the top.
      api.getConversation(data.conversation_id).then((c) => dispatch({ type: 'conversation', conversation: c }), ignoreSignedOut);
    }
  } else if (type === 'contact.updated' || type === 'contact.created') {
    rememberContact(data);
  } else if (type === 'contact.merged') {
    // The list first: no row may ask the hub for the contact that is gone.
    dispatch({ type: 'contactMerged', keptId: data.contact.id, mergedId: data.merged_contact_id });
    noteMerge(data.contact, data.merged_contact_id);
  } else if (type === 'read_mark.updated') {
    // This agent read or marked it in another tab or device (only their own sockets get this event).
    dispatch({ type: 'unread', conversationId: data.conversation_id, unread: data.unread });
  }
}

/** Counts of the views, asked again (at most every half second) when conversations change. */
function useCounts(dispatch) {
  const timer = useRef(null);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      api.countConversations().then((counts) => dispatch({ type: 'counts', counts }), ignoreSignedOut);
    }, 500);
  }, []);
}

/** The main screen's state and its actions (see the end of this function). */
export function useHub() {
  const [state, dispatch] = useReducer(reduce, initialState);
  const latest = useRef(state);
  latest.current = state;
  const refreshCounts = useCounts(dispatch);
  const started = useRef(false);

  const inFlight = useRef(false); // set at once: a dispatch reaches latest only after the next render

  const loadMore = useCallback(() => {
    if (inFlight.current || latest.current.nextCursor === null) return;
    inFlight.current = true;
    const { nextCursor } = latest.current;
    const key = listKey(latest.current);
    dispatch({ type: 'loading' });
    api
      .listConversations(listQuery(latest.current), nextCursor)
      .then(
        (page) => dispatch({ type: 'page', key, items: page.items, nextCursor: page.next_cursor }),
        (error) => {
          dispatch({ type: 'loadFailed' });
          ignoreSignedOut(error);
        },
      )
      .finally(() => {
        inFlight.current = false;
        // The agent switched views or filters meanwhile: that page was dropped, the new list's first is due.
        if (listKey(latest.current) !== key && latest.current.nextCursor === undefined) loadMore();
      });
  }, []);
  const loadFirst = useCallback(() => latest.current.nextCursor === undefined && loadMore(), [loadMore]);

  useEffect(() => {
    const hub = followHub({
      // The list is loaded once the socket is following, so nothing falls between the page and the events.
      onReady: () => {
        started.current = true;
        loadFirst();
        refreshCounts();
        announceViewingAgain();
      },
      onEvent: (frame) => {
        applyEvent(frame, dispatch, () => latest.current);
        alertFor(frame, latest.current);
        if (frame.type.startsWith('conversation.')) refreshCounts();
      },
      onSignal: (frame) => {
        noteTypingFrame(frame);
        noteViewingFrame(frame);
      },
      onResync: () => dispatch({ type: 'restart' }),
      onSignedOut: announceSignedOut,
      onStatus: (status) => dispatch({ type: 'status', status }),
      checkSession: api.probeSession,
    });
    setTypingSender(hub.send);
    setViewingSender(hub.send);
    // Should the socket not come up (a proxy refusing upgrades), the list still loads over REST.
    const fallback = setTimeout(() => {
      started.current = true;
      loadFirst();
    }, 3000);
    return () => {
      clearTimeout(fallback);
      setTypingSender(null);
      setViewingSender(null);
      hub.stop();
    };
  }, [loadFirst]);

  useEffect(() => {
    api.probeSession().then((me) => dispatch({ type: 'me', me }), ignoreSignedOut);
  }, []);
  useEffect(() => {
    if (started.current) loadFirst(); // a new view or filters; the first list waits for the socket (above)
  }, [listKey(state)]);
  useEffect(() => {
    Promise.all([loadInboxes(), api.listTeams()]).then(
      ([inboxes, teams]) => dispatch({ type: 'options', inboxes, teams }),
      ignoreSignedOut,
    );
  }, []);
  // A switch asks for the timeline before anything renders, so its request leaves first; the read mark
  // follows the page. The effect catches a selection the reducer makes by itself.
  const requested = useRef(null);
  const openTimeline = useCallback((id) => {
    requested.current = id;
    loadNewestPage(id, dispatch)
      .then(() => api.markRead(id))
      .catch(ignoreSignedOut);
  }, []);
  useEffect(() => {
    if (state.selectedId != null && requested.current !== state.selectedId) openTimeline(state.selectedId);
  }, [state.selectedId]);

  const show = useCallback((id) => {
    openTimeline(id);
    dispatch({ type: 'select', id });
  }, []);
  const addSent = useCallback((message) => dispatch({ type: 'message', message }), []);
  const chooseView = useCallback((view) => dispatch({ type: 'view', view }), []);
  const chooseList = useCallback((choice) => {
    storeListChoice(choice);
    dispatch({ type: 'listChoice', ...choice });
  }, []);
  const markUnread = useCallback(async (id) => {
    await api.markUnread(id);
    dispatch({ type: 'unread', conversationId: id, unread: true });
  }, []);
  const update = useCallback(async (id, changes) => {
    const conversation = await api.updateConversation(id, changes);
    dispatch({ type: 'conversation', conversation });
    refreshCounts();
    return conversation;
  }, []);
  const openElsewhere = useCallback(async (id) => {
    const conversation = await api.getConversation(id);
    if (id !== latest.current.selectedId) show(id);
    dispatch({ type: 'conversation', conversation: { ...conversation, unread: false } });
  }, []);
  // Open a conversation, fetched first when it is not among the loaded pages (by number from the search box,
  // the palette, the contact panel). A number this agent may not see rejects (404) and changes nothing.
  const select = useCallback(async (id) => {
    if (id === latest.current.selectedId) return; // open already: selecting again would empty its timeline
    if (latest.current.conversations.some((c) => c.id === id)) show(id);
    else await openElsewhere(id);
  }, []);
  const loadOlder = useCallback(() => loadOlderPage(latest.current, dispatch).catch(ignoreSignedOut), []);
  const contactsMerged = useCallback((kept, mergedId) => {
    dispatch({ type: 'contactMerged', keptId: kept.id, mergedId });
    noteMerge(kept, mergedId);
  }, []);
  return {
    state, loadOlder, loadMore, select, addSent, chooseView, chooseList, markUnread, update, openElsewhere,
    contactsMerged,
  };
}
