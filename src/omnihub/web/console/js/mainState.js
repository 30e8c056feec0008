// The main screen's state: the view and its conversation list, the open conversation and its timeline.
import { withTimelinePage } from './timelinePages.js';
import { addPage, belongsTo, markUnread, touchConversation, upsertConversation, upsertMessage } from './conversations.js';
import { listKey, matchesFilters, orderOf, storedListChoice } from './listQuery.js';

export const initialState = {
  view: 'all', // 'mine' | 'unassigned' | 'all', as GET /conversations?view= takes it
  ...storedListChoice(), // filters (GET /conversations?inbox_id=&status=...) and sort, from the filter bar
  inboxes: [], // GET /inboxes: the filter bar's choices, and each conversation's channel type
  teams: [], // GET /teams
  counts: null, // GET /conversations/counts
  me: null, // GET /me
  conversations: [],
  nextCursor: undefined, // undefined: first page not loaded yet; null: no more pages
  loadingMore: false,
  previews: {}, // conversation id -> text of the latest message seen live
  selectedId: null,
  messages: [],
  messagesLoaded: false,
  olderCursors: {}, // conversation id -> cursor of its next older page (timelinePages.js)
  status: 'offline',
};

function withMessage(state, message) {
  const previews =
    message.kind === 'activity' ? state.previews : { ...state.previews, [message.conversation_id]: message.content };
  const open = message.conversation_id === state.selectedId;
  // Something new from the contact in a conversation the agent is not looking at: unread until opened.
  const unseen = !open && message.direction === 'incoming' && message.kind !== 'activity';
  const touched = touchConversation(state.conversations, message, orderOf(state.sort));
  return {
    ...state,
    previews,
    conversations: unseen ? markUnread(touched, message.conversation_id, true) : touched,
    messages: open ? upsertMessage(state.messages, message) : state.messages,
  };
}

function withConversation(state, conversation) {
  const known = state.conversations.find((c) => c.id === conversation.id);
  // Live events carry no `unread` (it is per agent): keep what this agent's list said.
  const merged = { unread: known ? known.unread : false, ...conversation };
  // One that left the view or the filters goes, unless it is open: the agent who just assigned it away
  // still sees it.
  const listed = belongsTo(merged, state.view, state.me) && matchesFilters(merged, state.filters, state.inboxes);
  if (!listed && merged.id !== state.selectedId) {
    return { ...state, conversations: state.conversations.filter((c) => c.id !== merged.id) };
  }
  return { ...state, conversations: upsertConversation(state.conversations, merged, orderOf(state.sort)) };
}

const reducers = {
  loading: (state) => ({ ...state, loadingMore: true }),
  loadFailed: (state) => ({ ...state, loadingMore: false }),
  // A page asked for in a view (or with filters) the agent has since left is dropped.
  page: (state, { key, items, nextCursor }) =>
    key !== listKey(state)
      ? state
      : {
          ...state,
          conversations: addPage(state.conversations, items, orderOf(state.sort)),
          nextCursor,
          loadingMore: false,
        },
  view: (state, { view }) => ({ ...state, view, conversations: [], nextCursor: undefined, loadingMore: false }),
  listChoice: (state, { filters, sort }) => ({
    ...state,
    filters,
    sort,
    conversations: [],
    nextCursor: undefined,
    loadingMore: false,
  }),
  options: (state, { inboxes, teams }) => {
    const { inbox_id: inboxId, ...others } = state.filters;
    // A remembered inbox the agent no longer sees would make every page a 404: the list forgets it.
    const gone = inboxId && !inboxes.some((inbox) => String(inbox.id) === inboxId);
    const next = { ...state, inboxes, teams };
    return gone ? reducers.listChoice(next, { filters: others, sort: state.sort }) : next;
  },
  counts: (state, { counts }) => ({ ...state, counts }),
  me: (state, { me }) => ({ ...state, me }),
  unread: (state, { conversationId, unread }) => ({
    ...state,
    conversations: markUnread(state.conversations, conversationId, unread),
  }),
  restart: (state) => ({ ...state, conversations: [], nextCursor: undefined, loadingMore: false }),
  conversation: (state, { conversation }) => withConversation(state, conversation),
  message: (state, { message }) => withMessage(state, message),
  select: (state, { id }) => ({
    ...state,
    selectedId: id,
    messages: [],
    messagesLoaded: false,
    conversations: markUnread(state.conversations, id, false), // opening it reads it (useHub tells the hub)
  }),
  status: (state, { status }) => ({ ...state, status }),
  // The merged-away contact's conversations are the kept contact's now.
  contactMerged: (state, { keptId, mergedId }) => ({
    ...state,
    conversations: state.conversations.map((c) => (c.contact_id === mergedId ? { ...c, contact_id: keptId } : c)),
  }),
  timelinePage: withTimelinePage,
};

export function reduce(state, action) {
  const reducer = reducers[action.type];
  return reducer ? reducer(state, action) : state;
}
