// The inboxes the signed-in agent works in (GET /inboxes), asked once and shared: the filter bar lists
// them, the reply box and the "New conversation" dialog need to know which are e-mail inboxes.
import { api, SignedOut } from './api.js';
import { useEffect, useState } from './html.js';

let loading = null;

/** Drop what is known: the next person signing in on this tab may work in other inboxes. */
export function forgetInboxes() {
  loading = null;
}

/** The agent's inboxes, asked for once per sign-in (an empty list if that fails; asked again next time). */
export function loadInboxes() {
  loading ||= api.listInboxes().catch((error) => {
    loading = null; // asked again next time
    if (!(error instanceof SignedOut)) console.warn('omnihub console: inboxes:', error.message);
    return [];
  });
  return loading;
}

/** The agent's inboxes (an empty list until they arrive). */
export function useInboxes() {
  const [inboxes, setInboxes] = useState([]);
  useEffect(() => {
    let current = true;
    loadInboxes().then((found) => current && setInboxes(found));
    return () => {
      current = false;
    };
  }, []);
  return inboxes;
}

export const isEmailInbox = (inbox) => inbox.channel_type === 'email';
