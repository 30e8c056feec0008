// The agent's screen: the conversation list beside the open conversation, and the keyboard shortcuts.
import { html, useState } from '../html.js';
import { t } from '../i18n.js';
import { useHub } from '../useHub.js';
import { useShortcuts } from '../useShortcuts.js';
import { ConversationList } from './ConversationList.js';
import { ConversationView } from './ConversationView.js';
import { NewConversation } from './NewConversation.js';
import { ShortcutsDialog } from './ShortcutsDialog.js';

export function MainScreen({ user, onSignOut }) {
  const hub = useHub();
  const { state } = hub;
  const [helpOpen, setHelpOpen] = useState(false);
  useShortcuts({
    conversations: state.conversations,
    selectedId: state.selectedId,
    onSelect: hub.select,
    onHelp: () => setHelpOpen(true),
  });
  const open = state.conversations.find((c) => c.id === state.selectedId);
  return html`
    <div class="main-screen">
      <header class="top-bar">
        <h1>${t('app.title')}</h1>
        <span class=${`connection ${state.status}`} role="status">${t(`connection.${state.status}`)}</span>
        ${user && html`<span class="who" dir="auto">${user.name}</span>`}
        <${NewConversation} onStarted=${hub.openElsewhere} />
        <button type="button" class="secondary" onClick=${() => setHelpOpen(true)}>${t('shortcuts.title')}</button>
        <button type="button" class="sign-out" onClick=${onSignOut}>${t('signOut')}</button>
      </header>
      <${ConversationList}
        conversations=${state.conversations}
        previews=${state.previews}
        selectedId=${state.selectedId}
        firstPageLoaded=${state.nextCursor !== undefined}
        hasMore=${state.nextCursor !== null}
        loading=${state.loadingMore}
        onSelect=${hub.select}
        onLoadMore=${hub.loadMore}
        view=${state.view}
        counts=${state.counts}
        onChooseView=${hub.chooseView}
      />
      ${open
        ? html`<${ConversationView} key=${open.id} conversation=${open} state=${state} user=${user} actions=${hub} />`
        : html`<main class="placeholder"><p>${t('conversation.none')}</p></main>`}
      ${helpOpen && html`<${ShortcutsDialog} onClose=${() => setHelpOpen(false)} />`}
    </div>`;
}
