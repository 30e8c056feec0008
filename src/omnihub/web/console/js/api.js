// REST calls to /api/v1 with the session cookie. A 401 anywhere means the session is over.
import { API_ROOT } from './paths.js';

export class SignedOut extends Error {}

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

const signedOutListeners = new Set();

/** Call listener whenever the hub says the session is over; returns the unsubscribe function. */
export function onSignedOut(listener) {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export function announceSignedOut() {
  for (const listener of [...signedOutListeners]) listener();
}

async function detailOf(response) {
  try {
    const body = await response.json();
    if (typeof body.detail === 'string') return body.detail;
    // A 422 lists its problems, each with a message naming what is wrong.
    if (Array.isArray(body.detail)) return body.detail.map((problem) => problem.msg).filter(Boolean).join('; ');
    return '';
  } catch {
    return '';
  }
}

async function request(method, path, { body, query, signInAttempt = false } = {}) {
  const url = new URL(path, API_ROOT);
  for (const [name, value] of Object.entries(query || {})) {
    if (value != null) url.searchParams.set(name, String(value));
  }
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(url, init);
  if (response.status === 401 && !signInAttempt) {
    announceSignedOut();
    throw new SignedOut();
  }
  if (!response.ok) throw new ApiError(response.status, await detailOf(response));
  return response.status === 204 ? null : response.json();
}

const id = (value) => encodeURIComponent(String(value));

// The small lists (inboxes, teams, users, tokens) come whole in one page, {"items", "next_cursor": null}:
// the components get the items as an array.
const allItems = async (path) => (await request('GET', path)).items;

// Read marks reach the hub in the order the agent made them: a read still on its way (a message came
// into the open conversation) must not land after a "Mark as unread" clicked just then.
let readMarks = Promise.resolve();
const inOrder = (send) => (readMarks = readMarks.catch(() => {}).then(send));

export const api = {
  signIn: (email, password) => request('POST', 'auth/login', { body: { email, password }, signInAttempt: true }),
  signOut: () => request('POST', 'auth/logout'),
  probeSession: () => request('GET', 'me'),
  // query: view, the filters and sort (listQuery.js); empty filters are left out.
  listConversations: (query, cursor) =>
    request('GET', 'conversations', { query: { ...query, cursor, limit: 25 } }),
  listInboxes: () => allItems('inboxes'),
  listTeams: () => allItems('teams'),
  updateMe: (changes) => request('PATCH', 'me', { body: changes }),
  countConversations: () => request('GET', 'conversations/counts'),
  getConversation: (conversationId) => request('GET', `conversations/${id(conversationId)}`),
  updateConversation: (conversationId, changes) =>
    request('PATCH', `conversations/${id(conversationId)}`, { body: changes }),
  markRead: (conversationId) =>
    inOrder(() => request('POST', `conversations/${id(conversationId)}/read`, { body: {} })),
  markUnread: (conversationId) => inOrder(() => request('POST', `conversations/${id(conversationId)}/unread`)),
  getDraft: (conversationId) => request('GET', `conversations/${id(conversationId)}/draft`),
  saveDraft: (conversationId, content, isPrivate) =>
    request('PUT', `conversations/${id(conversationId)}/draft`, { body: { content, private: isPrivate } }),
  deleteDraft: (conversationId) => request('DELETE', `conversations/${id(conversationId)}/draft`),
  listMessagesNewestFirst: (conversationId, cursor, limit) =>
    request('GET', `conversations/${id(conversationId)}/messages`, { query: { cursor, limit, order: 'desc' } }),
  // more: further fields of the message (cc: copies of an e-mail reply).
  postMessage: (conversationId, content, isPrivate, more = {}) =>
    request('POST', `conversations/${id(conversationId)}/messages`, { body: { content, private: isPrivate, ...more } }),
  attachmentLimits: () => request('GET', 'attachments/limits'),
  getContact: (contactId) => request('GET', `contacts/${id(contactId)}`),
  searchContacts: (q, limit = 10) => request('GET', 'contacts', { query: { q, limit } }),
  startConversation: (start) => request('POST', 'conversations', { body: start }),
  renameContact: (contactId, name) => request('PATCH', `contacts/${id(contactId)}`, { body: { name } }),
  mergeContact: (contactId, otherId) =>
    request('POST', `contacts/${id(contactId)}/merge`, { body: { other_id: otherId } }),
  listInboxMembers: (inboxId) => request('GET', `inboxes/${id(inboxId)}/members`),
};

// First run and the admins' settings (components/Setup.js, components/Settings*.js).
export const adminApi = {
  setupState: () => request('GET', 'setup'),
  completeSetup: (form) => request('POST', 'setup', { body: form, signInAttempt: true }),
  listInboxes: () => allItems('inboxes'),
  createInbox: (name, channelType, config) =>
    request('POST', 'inboxes', { body: { name, channel_type: channelType, config } }),
  listMemberIds: (inboxId) => request('GET', `inboxes/${id(inboxId)}/members`),
  addMember: (inboxId, userId) => request('POST', `inboxes/${id(inboxId)}/members`, { body: { user_id: userId } }),
  removeMember: (inboxId, userId) => request('DELETE', `inboxes/${id(inboxId)}/members/${id(userId)}`),
  listUsers: () => allItems('users'),
  createUser: (user) => request('POST', 'users', { body: user }),
  deactivateUser: (userId) => request('POST', `users/${id(userId)}/deactivate`),
  updateInbox: (inboxId, changes) => request('PATCH', `inboxes/${id(inboxId)}`, { body: changes }),
  syncStatus: (inboxId) => request('GET', `inboxes/${id(inboxId)}/sync`),
  listQuarantine: (inboxId, cursor) => request('GET', `inboxes/${id(inboxId)}/quarantine`, { query: { cursor } }),
  retryQuarantined: (inboxId, itemId) => request('POST', `inboxes/${id(inboxId)}/quarantine/${id(itemId)}/retry`),
  setRole: (userId, role) => request('PUT', `users/${id(userId)}/role`, { body: { role } }),
  listTeams: () => allItems('teams'),
  createTeam: (name) => request('POST', 'teams', { body: { name } }),
  listTeamMemberIds: (teamId) => request('GET', `teams/${id(teamId)}/members`),
  addTeamMember: (teamId, userId) => request('POST', `teams/${id(teamId)}/members`, { body: { user_id: userId } }),
  removeTeamMember: (teamId, userId) => request('DELETE', `teams/${id(teamId)}/members/${id(userId)}`),
  listTokens: () => allItems('tokens'),
  createToken: (token) => request('POST', 'tokens', { body: token }),
  revokeToken: (tokenId) => request('DELETE', `tokens/${id(tokenId)}`),
};

/** Where a quarantined item's raw bytes download from (the session cookie goes with a plain link). */
export function quarantinedRawUrl(inboxId, itemId) {
  return new URL(`inboxes/${id(inboxId)}/quarantine/${id(itemId)}/raw`, API_ROOT).href;
}
