// Fetch something now and again every few seconds while the component is on screen (the sync progress:
// there is no event for it). A failed fetch is retried at the next tick; signing out stops nothing here,
// the whole screen goes.
import { SignedOut } from './api.js';
import { useEffect, useState } from './html.js';

export function usePolling(load, seconds, key) {
  const [value, setValue] = useState(null);
  const [failed, setFailed] = useState(false);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    let timer = null;
    const once = async () => {
      try {
        const next = await load();
        if (live) {
          setValue(next);
          setFailed(false);
        }
      } catch (error) {
        if (live && !(error instanceof SignedOut)) setFailed(true);
      }
      if (live) timer = setTimeout(once, seconds * 1000);
    };
    once();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, tick]);
  // refresh(): fetch at once (after an action changed what is shown), then go on polling.
  return { value, failed, refresh: () => setTick((n) => n + 1) };
}
