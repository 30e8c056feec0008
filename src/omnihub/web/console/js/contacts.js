// Contacts by id, fetched once and shared by every component that names one.
import { api } from './api.js';
import { useEffect, useState } from './html.js';

const known = new Map();
const pending = new Map();
const listeners = new Set();
let generation = 0; // a load started before forgetContacts() must not bring its answer back

export function rememberContact(contact) {
  known.set(contact.id, { ...known.get(contact.id), ...contact });
  for (const listener of [...listeners]) listener();
}

function load(contactId) {
  if (known.has(contactId) || pending.has(contactId)) return;
  const startedIn = generation;
  const loading = api
    .getContact(contactId)
    .then((contact) => startedIn === generation && rememberContact(contact))
    .catch(() => {})
    .finally(() => pending.get(contactId) === loading && pending.delete(contactId));
  pending.set(contactId, loading);
}

/** Drop everything known: the next person signing in on this tab may see other inboxes. */
export function forgetContacts() {
  generation += 1;
  known.clear();
  pending.clear();
}

/** The contact (or undefined while it loads); re-renders when it arrives or changes. */
export function useContact(contactId) {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const listener = () => setVersion((v) => v + 1);
    listeners.add(listener);
    load(contactId);
    return () => listeners.delete(listener);
  }, [contactId]);
  return known.get(contactId);
}
