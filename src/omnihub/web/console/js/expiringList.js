// Who is typing, who is viewing: lists kept from /ws frames whose entries expire unless repeated.
import { useEffect, useState } from './html.js';

/** read() is the list now (entries with a `key`); it is read again whenever a listener in `listeners`
 * is called, and every second for expiry, and the component renders again only when its keys change. */
export function useExpiringList(read, listeners, deps) {
  const [list, setList] = useState(read);
  useEffect(() => {
    let shown = '';
    const refresh = () => {
      const next = read();
      const keys = next.map((entry) => entry.key).join();
      if (keys !== shown) setList(next);
      shown = keys;
    };
    listeners.add(refresh);
    refresh();
    const expiry = setInterval(refresh, 1000);
    return () => {
      listeners.delete(refresh);
      clearInterval(expiry);
    };
  }, deps);
  return list;
}
