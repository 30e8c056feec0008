// The main screen's state: the conversation list, the open conversation and its timeline.
import { addPage, touchConversation, upsertConversation, upsertMessage } from './conversations.js';

export const initialState = {
  conversations: [],
  nextCursor: undefined, // undefined: first page not loaded yet; null: no more pages
  loadingMore: false,
  previews: {}, // conversation id -> text of the latest message seen live
  selectedId: null,
  messages: [],
  messagesLoaded: false,
  status: 'offline',
};

function withMessage(state, message) {
  const previews =
    message.kind === 'activity' ? state.previews : { ...state.previews, [message.conversation_id]: message.content };
  const open = message.conversation_id === state.selectedId;
  return {
    ...state,
    previews,
    conversations: touchConversation(state.conversations, message),
    messages: open ? upsertMessage(state.messages, message) : state.messages,
  };
}

const reducers = {
  loading: (state) => ({ ...state, loadingMore: true }),
  loadFailed: (state) => ({ ...state, loadingMore: false }),
  page: (state, { items, nextCursor }) => ({
    ...state,
    conversations: addPage(state.conversations, items),
    nextCursor,
    loadingMore: false,
  }),
  restart: (state) => ({ ...state, conversations: [], nextCursor: undefined, loadingMore: false }),
  conversation: (state, { conversation }) => ({
    ...state,
    conversations: upsertConversation(state.conversations, conversation),
  }),
  message: (state, { message }) => withMessage(state, message),
  select: (state, { id }) => ({ ...state, selectedId: id, messages: [], messagesLoaded: false }),
  messages: (state, { conversationId, items }) =>
    conversationId !== state.selectedId
      ? state
      : { ...state, messages: items.reduce(upsertMessage, state.messages), messagesLoaded: true },
  status: (state, { status }) => ({ ...state, status }),
};

export function reduce(state, action) {
  const reducer = reducers[action.type];
  return reducer ? reducer(state, action) : state;
}
