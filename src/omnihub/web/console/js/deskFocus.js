// Requests to put the keyboard somewhere ("search", "compose"), from a shortcut or the command palette to
// the component that owns the target. The owner registers itself while it is on screen.
import { useEffect, useRef } from './html.js';

const handlers = new Map();

/** Ask the target's owner to take the focus; false when nothing on screen owns it. */
export function requestFocus(target, detail) {
  const handler = handlers.get(target);
  if (handler) handler(detail);
  return Boolean(handler);
}

/** Own target while mounted: handler(detail) is called with the latest props. */
export function useFocusRequest(target, handler) {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const owner = (detail) => latest.current(detail);
    handlers.set(target, owner);
    return () => handlers.get(target) === owner && handlers.delete(target);
  }, [target]);
}
