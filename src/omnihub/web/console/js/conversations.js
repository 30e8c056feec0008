// Pure updates of the console's lists; the screen keeps the results in its state.

const time = (iso) => Date.parse(iso) || 0;

/** Newest activity first, as GET /conversations lists them. */
export function byActivity(a, b) {
  return time(b.last_activity_at) - time(a.last_activity_at) || b.id - a.id;
}

export function upsertConversation(list, conversation, order = byActivity) {
  return [...list.filter((c) => c.id !== conversation.id), conversation].sort(order);
}

/** Add a REST page; a conversation already known (perhaps newer, from a live event) is kept as it is. */
export function addPage(list, items, order = byActivity) {
  const known = new Set(list.map((c) => c.id));
  return [...list, ...items.filter((c) => !known.has(c.id))].sort(order);
}

/** `waiting_since` after a new message, by the hub's rule (docs/api.md): the contact's first unanswered
 * message starts the wait (auto-replies do not), a reply ends it, notes and activities change nothing. */
function waitingAfter(conversation, message) {
  if (message.kind !== 'message') return conversation.waiting_since;
  if (message.direction === 'outgoing') return null;
  return conversation.waiting_since || (message.metadata?.automated ? null : message.created_at);
}

/** A new message is activity: the conversation moves up. Unknown conversations are left to the caller. */
export function touchConversation(list, message, order = byActivity) {
  const found = list.find((c) => c.id === message.conversation_id);
  // Older than the conversation's activity: an update of an earlier message, which changes neither.
  if (!found || time(found.last_activity_at) >= time(message.created_at)) return list;
  const waiting_since = waitingAfter(found, message);
  return upsertConversation(list, { ...found, last_activity_at: message.created_at, waiting_since }, order);
}

/** The timeline in the order messages were written (their ids grow). */
export function upsertMessage(messages, message) {
  return [...messages.filter((m) => m.id !== message.id), message].sort((a, b) => a.id - b.id);
}

/** Whether a conversation is listed in a view (GET /conversations?view=) for the agent `me`. */
export function belongsTo(conversation, view, me) {
  if (view === 'mine') return me != null && conversation.assignee_id === me.id;
  if (view === 'unassigned') return conversation.assignee_id == null;
  return true;
}

export function markUnread(list, conversationId, unread) {
  return list.map((c) => (c.id === conversationId && c.unread !== unread ? { ...c, unread } : c));
}
