// Who else has a conversation open, from the /ws `viewing` frames (docs/realtime.md), and the agent's own
// open conversation told over the same socket: on opening, every few seconds while it stays open, and
// `null` on leaving it. The hub withdraws it by itself when the socket closes (tab closed, network gone).
import { useExpiringList } from './expiringList.js';
import { useEffect } from './html.js';

const REPEAT_MS = 5000;
const EXPIRE_MS = 15000; // a viewer not repeated for this long has gone (their node may have crashed)

const viewers = new Map(); // conversation id -> Map(socket id -> { key, name, userId, until })
const listeners = new Set();
let sender = null;
const own = { conversationId: null, myId: null };

function sendOwn() {
  if (sender) sender({ type: 'viewing', conversation_id: own.conversationId });
}

/** The socket's send (or null while there is none); set by useHub. */
export function setViewingSender(send) {
  sender = send;
}

/** The socket is (again) following: a new socket has told nobody yet what this page has open. */
export function announceViewingAgain() {
  if (own.conversationId != null) sendOwn();
}

/** A frame without an id from the socket: viewers are kept until they leave or expire. */
export function noteViewingFrame(frame) {
  if (frame.type !== 'viewing') return;
  const { conversation_id: conversationId, user_id: userId, socket_id: socketId, name, on } = frame.data;
  if (!viewers.has(conversationId)) viewers.set(conversationId, new Map());
  const here = viewers.get(conversationId);
  const newcomer = on && !here.has(socketId);
  if (on) here.set(socketId, { key: socketId, name, userId, until: Date.now() + EXPIRE_MS });
  else here.delete(socketId);
  // Someone has just opened the conversation this page has open: tell them now, not at the next repeat.
  if (newcomer && conversationId === own.conversationId && userId !== own.myId) sendOwn();
  listeners.forEach((listener) => listener());
}

function viewingNow(conversationId, myId) {
  const now = Date.now();
  const here = viewers.get(conversationId);
  const names = new Map(); // one line per agent, however many tabs they have it open in
  for (const viewer of here ? here.values() : []) {
    if (viewer.until > now && viewer.userId !== myId) names.set(viewer.userId, viewer);
  }
  return [...names.values()];
}

/** The other agents who have the conversation open. */
export function useViewers(conversationId, myId) {
  return useExpiringList(() => viewingNow(conversationId, myId), listeners, [conversationId, myId]);
}

/** Tell the hub this page has the conversation open, while it is. */
export function useOwnViewing(conversationId, myId) {
  useEffect(() => {
    Object.assign(own, { conversationId, myId });
    sendOwn();
    const repeat = setInterval(sendOwn, REPEAT_MS);
    return () => {
      clearInterval(repeat);
      own.conversationId = null;
      // Switching to another conversation announces that one, which withdraws this one on the hub: only
      // when nothing else is opened right after is "none" worth a frame of its own.
      setTimeout(() => own.conversationId == null && sendOwn(), 0);
    };
  }, [conversationId, myId]);
}
