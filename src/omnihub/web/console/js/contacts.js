// Contacts by id, fetched once and shared by every component that names one.
import { api } from './api.js';
import { useEffect, useState } from './html.js';

const known = new Map();
const pending = new Map();
const listeners = new Set();
const merges = new Map(); // contact id -> how many contacts were merged into it here (its conversations grew)
let generation = 0; // a load started before forgetContacts() must not bring its answer back

export function rememberContact(contact) {
  known.set(contact.id, { ...known.get(contact.id), ...contact });
  for (const listener of [...listeners]) listener();
}

/** Another contact was folded into `contact` (a `contact.merged` event): forget it, note the change. */
export function noteMerge(contact, mergedId) {
  known.delete(mergedId);
  merges.set(contact.id, (merges.get(contact.id) || 0) + 1);
  rememberContact(contact);
}

/** Changes whenever a contact is merged into this one: what shows its conversations loads them again. */
export function mergesInto(contactId) {
  return merges.get(contactId) || 0;
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
  merges.clear();
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
