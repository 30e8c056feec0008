// What the agent can do from the keyboard (shortcuts) and the command palette, in one place, so both do
// exactly the same. Each command does nothing when it does not apply (no open conversation, already done).
import { api, SignedOut } from './api.js';
import { rememberContact } from './contacts.js';
import { requestFocus } from './deskFocus.js';

/** The contact has no conversation this agent may see (an admin may find such a contact). */
export class NoVisibleConversation extends Error {}

function warn(error) {
  if (!(error instanceof SignedOut)) console.warn('omnihub console:', error.message);
}

/** A contact's conversations: the one with the newest activity this agent may see opens (its panel lists the rest). */
async function openContact(hub, contactId) {
  const contact = await api.getContact(contactId);
  rememberContact(contact);
  const [newest] = contact.conversations || [];
  if (!newest) throw new NoVisibleConversation(`contact ${contactId}`);
  await hub.select(newest.id);
}

export function useDeskCommands(hub, { onHelp, onPalette, onSignOut }) {
  const { state } = hub;
  const open = state.conversations.find((c) => c.id === state.selectedId) || null;
  const me = state.me;
  const change = (changes) => hub.update(open.id, changes).catch(warn);
  const canAssign = Boolean(open && me && open.assignee_id !== me.id);
  return {
    open,
    canAssign,
    assignToMe: () => canAssign && change({ assignee_id: me.id }),
    resolve: () => open && open.status !== 'resolved' && change({ status: 'resolved' }),
    reopen: () => open && open.status !== 'open' && change({ status: 'open' }),
    reply: () => open && requestFocus('compose', 'reply'),
    note: () => open && requestFocus('compose', 'note'),
    search: () => requestFocus('search'),
    goTo: (id) => hub.select(id).catch(warn), // a number this agent may not see opens nothing
    openContact: (contactId) => openContact(hub, contactId),
    chooseView: hub.chooseView,
    view: state.view,
    help: onHelp,
    palette: onPalette,
    signOut: onSignOut,
  };
}
