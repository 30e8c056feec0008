// The agent's screen: the search and the conversation list beside the open conversation; the keyboard
// shortcuts and the command palette (Ctrl+K).
import { html, useState } from '../html.js';
import { t } from '../i18n.js';
import { useDeskCommands } from '../useDeskCommands.js';
import { useHub } from '../useHub.js';
import { useShortcuts } from '../useShortcuts.js';
import { useUnreadTitle } from '../unreadTitle.js';
import { CommandPalette } from './CommandPalette.js';
import { ConversationList } from './ConversationList.js';
import { ConversationView } from './ConversationView.js';
import { FilterBar } from './FilterBar.js';
import { LanguagePicker } from './LanguagePicker.js';
import { NewConversation } from './NewConversation.js';
import { NotificationSettings } from './NotificationSettings.js';
import { SearchBox } from './SearchBox.js';
import { ShortcutsDialog } from './ShortcutsDialog.js';

export function MainScreen({ user, onSignOut }) {
  const hub = useHub();
  const { state } = hub;
  const [helpOpen, setHelpOpen] = useState(false);
  useUnreadTitle(state.conversations);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const desk = useDeskCommands(hub, {
    onHelp: () => setHelpOpen(true),
    onPalette: () => setPaletteOpen(true),
    onSignOut,
  });
  useShortcuts({ conversations: state.conversations, selectedId: state.selectedId, onSelect: hub.select, desk });
  const open = desk.open;
  return html`
    <div class="main-screen">
      <header class="top-bar">
        <h1>${t('app.title')}</h1>
        <${SearchBox} onOpenConversation=${hub.select} onOpenContact=${desk.openContact} />
        <span class=${`connection ${state.status}`} role="status">${t(`connection.${state.status}`)}</span>
        ${user && html`<span class="who" dir="auto">${user.name}</span>`}
        <${NewConversation} onStarted=${hub.openElsewhere} />
        <${LanguagePicker} />
        <${NotificationSettings} />
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
      >
        <${FilterBar} filters=${state.filters} sort=${state.sort} inboxes=${state.inboxes} teams=${state.teams}
          onChange=${hub.chooseList} />
      </${ConversationList}>
      ${open
        ? html`<${ConversationView} key=${open.id} conversation=${open} state=${state} user=${user} actions=${hub} />`
        : html`<main class="placeholder"><p>${t('conversation.none')}</p></main>`}
      ${helpOpen && html`<${ShortcutsDialog} onClose=${() => setHelpOpen(false)} />`}
      ${paletteOpen && html`<${CommandPalette} desk=${desk} onClose=${() => setPaletteOpen(false)} />`}
    </div>`;
}
