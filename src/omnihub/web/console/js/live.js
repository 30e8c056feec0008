// The agent's /ws socket: events in order, resumed with ?since=<last id> after a drop (docs/realtime.md).
import { socketUrl } from './paths.js';

const SESSION_ENDED = 4003;
const LOG_TOO_OLD = 4001;
const MAX_RETRY_MS = 15000;

/**
 * Follow the hub's events until stop() is called.
 * handlers: onReady(), onEvent(frame), onSignal(frame) (typing, presence: no id), onResync() (reload over REST), onSignedOut(), onStatus('live'|'offline'),
 * checkSession(): a REST call whose 401 ends the session (a refused reconnect is only a 1006 to a page).
 */
export function followHub(handlers) {
  let lastId = null;
  let socket = null;
  let stopped = false;
  let failures = 0;
  let timer = null;

  function handleFrame(frame) {
    if (frame.type === 'ready') {
      failures = 0;
      if (lastId == null) lastId = frame.data.last_id;
      handlers.onStatus('live');
      handlers.onReady();
    } else if (frame.type === 'resync_required') {
      lastId = null;
    } else if (frame.id != null) {
      lastId = frame.id;
      handlers.onEvent(frame);
    } else if (handlers.onSignal) {
      handlers.onSignal(frame);
    }
  }

  function open() {
    socket = new WebSocket(socketUrl(lastId));
    socket.addEventListener('message', (message) => handleFrame(JSON.parse(message.data)));
    socket.addEventListener('close', (closed) => {
      if (stopped) return;
      handlers.onStatus('offline');
      if (closed.code === SESSION_ENDED) {
        handlers.onSignedOut();
        return;
      }
      if (closed.code === LOG_TOO_OLD) {
        lastId = null;
        handlers.onResync();
      }
      retryLater();
    });
  }

  function retryLater() {
    failures += 1;
    // Backoff with jitter, so that a restarted node is not hit by every console at once.
    const delay = Math.min(MAX_RETRY_MS, 500 * 2 ** Math.min(failures, 5)) * (0.5 + Math.random() / 2);
    timer = setTimeout(async () => {
      if (failures > 1) {
        try {
          await handlers.checkSession();
        } catch {
          // A SignedOut error has already ended the session; a network error: try the socket anyway.
        }
      }
      if (!stopped) open();
    }, delay);
  }

  open();
  return {
    /** A frame to the hub (typing, presence); dropped while the socket is down: such news is only fresh. */
    send(frame) {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      if (socket) socket.close(1000);
    },
  };
}
