// The list's filters and order (the filter bar), kept across reloads, and the rules the live list follows
// to agree with GET /conversations?<filters>&sort=: which conversations match, and in what order.
import { byActivity } from './conversations.js';

const KEY = 'omnihub.console.list';
export const FILTER_NAMES = ['inbox_id', 'status', 'team_id', 'label', 'channel_type', 'priority'];
export const SORTS = ['last_activity', 'waiting'];

/** What the agent chose last time in this browser: { filters: {name: string}, sort }. */
export function storedListChoice() {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) || '{}');
    const filters = {};
    for (const name of FILTER_NAMES) {
      if (typeof stored.filters?.[name] === 'string' && stored.filters[name]) filters[name] = stored.filters[name];
    }
    return { filters, sort: SORTS.includes(stored.sort) ? stored.sort : 'last_activity' };
  } catch {
    return { filters: {}, sort: 'last_activity' };
  }
}

export function storeListChoice({ filters, sort }) {
  try {
    localStorage.setItem(KEY, JSON.stringify({ filters, sort }));
  } catch {
    // Storage refused: the choice lasts until the page is left.
  }
}

/** On sign-out: the next person at this browser starts with the whole list (docs/security.md). */
export function forgetListChoice() {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing was stored.
  }
}

/** The query of GET /conversations for a view, filters and sort. */
export function listQuery({ view, filters, sort }) {
  return { view, ...filters, sort };
}

/** One string per distinct list: a page asked for under another one is dropped. */
export function listKey(state) {
  return JSON.stringify(listQuery(state));
}

/** Whether a conversation passes the filters, as the API decides it (labels are stored lower-cased). */
export function matchesFilters(conversation, filters, inboxes) {
  const { inbox_id: inboxId, status, team_id: teamId, label, channel_type: channelType, priority } = filters;
  if (inboxId && String(conversation.inbox_id) !== inboxId) return false;
  if (teamId && String(conversation.team_id) !== teamId) return false;
  if (status && conversation.status !== status) return false;
  if (priority && conversation.priority !== priority) return false;
  if (label && !(conversation.labels || []).includes(label.trim().toLowerCase())) return false;
  if (channelType) {
    const inbox = inboxes.find((i) => i.id === conversation.inbox_id);
    if (!inbox || inbox.channel_type !== channelType) return false;
  }
  return true;
}

const time = (iso) => Date.parse(iso) || 0;

/** sort=waiting: the longest waiting first, then those nobody waits in by newest activity. */
export function byWaiting(a, b) {
  if (a.waiting_since && b.waiting_since) return time(a.waiting_since) - time(b.waiting_since) || a.id - b.id;
  if (a.waiting_since || b.waiting_since) return a.waiting_since ? -1 : 1;
  return byActivity(a, b);
}

export const orderOf = (sort) => (sort === 'waiting' ? byWaiting : byActivity);
