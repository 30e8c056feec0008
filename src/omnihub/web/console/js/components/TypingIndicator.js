// "Dana is typing…" under the open conversation's timeline; another agent typing in it is also a warning
// ("Sam is also replying"), so two agents do not answer the same customer at once.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { useTypists } from '../typing.js';

export function TypingIndicator({ conversationId, myId }) {
  const typists = useTypists(conversationId, myId);
  const agents = typists.filter((typist) => typist.userId != null);
  return html`
    <div class="typing" aria-live="polite">
      ${typists.map((typist) => html`<p key=${typist.key} class="typing-who" dir="auto">${t('typing.who', { name: typist.name })}</p>`)}
      ${agents.map((agent) => html`<p key=${`also-${agent.key}`} class="typing-collision" dir="auto">${t('typing.alsoReplying', { name: agent.name })}</p>`)}
    </div>`;
}
