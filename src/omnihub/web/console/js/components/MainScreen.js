// The agent's screen: the conversation list beside the open conversation.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { useHub } from '../useHub.js';
import { ConversationList } from './ConversationList.js';
import { ConversationView } from './ConversationView.js';

export function MainScreen({ user, onSignOut }) {
  const { state, loadMore, select, addSent } = useHub();
  const open = state.conversations.find((c) => c.id === state.selectedId);
  return html`
    <div class="main-screen">
      <header class="top-bar">
        <h1>${t('app.title')}</h1>
        <span class=${`connection ${state.status}`} role="status">${t(`connection.${state.status}`)}</span>
        ${user && html`<span class="who" dir="auto">${user.name}</span>`}
        <button type="button" class="sign-out" onClick=${onSignOut}>${t('signOut')}</button>
      </header>
      <${ConversationList}
        conversations=${state.conversations}
        previews=${state.previews}
        selectedId=${state.selectedId}
        firstPageLoaded=${state.nextCursor !== undefined}
        hasMore=${state.nextCursor !== null}
        loading=${state.loadingMore}
        onSelect=${select}
        onLoadMore=${loadMore}
      />
      ${open
        ? html`<${ConversationView} key=${open.id} conversation=${open} state=${state} user=${user} onSent=${addSent} />`
        : html`<main class="placeholder"><p>${t('conversation.none')}</p></main>`}
    </div>`;
}
