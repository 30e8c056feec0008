// Who is typing in which conversation, from the /ws `typing` frames (docs/realtime.md), and the agent's
// own typing sent over the same socket: `on` while they type (repeated every 3 s), `off` when they
// pause, send or leave the conversation.
import { useExpiringList } from './expiringList.js';
import { useEffect, useRef } from './html.js';

const EXPIRE_MS = 6000; // a typist who vanished without `on: false` (the protocol's advice)
const REPEAT_MS = 3000;
const PAUSE_MS = 4000;

const typists = new Map(); // conversation id -> Map(typist key -> { name, userId, until })
const listeners = new Set();
let sender = null;

/** The socket's send (or null while there is none); set by useHub. */
export function setTypingSender(send) {
  sender = send;
}

/** A frame without an id from the socket: typing frames are kept until they stop or expire. */
export function noteTypingFrame(frame) {
  if (frame.type !== 'typing') return;
  const { conversation_id: conversationId, user_id: userId, contact_id: contactId, name, on } = frame.data;
  const key = userId != null ? `user:${userId}` : `contact:${contactId}`;
  if (!typists.has(conversationId)) typists.set(conversationId, new Map());
  const here = typists.get(conversationId);
  if (on) here.set(key, { key, name, userId: userId ?? null, until: Date.now() + EXPIRE_MS });
  else here.delete(key);
  listeners.forEach((listener) => listener());
}

function typingNow(conversationId, myId) {
  const now = Date.now();
  const here = typists.get(conversationId);
  return here ? [...here.values()].filter((typist) => typist.until > now && typist.userId !== myId) : [];
}

/** Who is typing in the conversation, the agent themselves left out. */
export function useTypists(conversationId, myId) {
  return useExpiringList(() => typingNow(conversationId, myId), listeners, [conversationId, myId]);
}

/** The agent's own typing in a conversation: call typed() on each keystroke, stopped() on send. */
export function useOwnTyping(conversationId) {
  const own = useRef({ on: false, sentAt: 0, pause: null });
  const send = (on) => sender && sender({ type: 'typing', conversation_id: conversationId, on });
  const stopped = () => {
    clearTimeout(own.current.pause);
    if (own.current.on) send(false);
    own.current.on = false;
  };
  useEffect(() => stopped, [conversationId]);
  const typed = () => {
    const now = Date.now();
    if (!own.current.on || now - own.current.sentAt >= REPEAT_MS) {
      own.current.on = true;
      own.current.sentAt = now;
      send(true);
    }
    clearTimeout(own.current.pause);
    own.current.pause = setTimeout(stopped, PAUSE_MS);
  };
  return { typed, stopped };
}
