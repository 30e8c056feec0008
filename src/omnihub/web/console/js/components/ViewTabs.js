// The list's views: assigned to me, unassigned, all; each with its count of open conversations.
import { html } from '../html.js';
import { t } from '../i18n.js';

const VIEWS = ['mine', 'unassigned', 'all'];

export function ViewTabs({ view, counts, onChoose }) {
  return html`
    <div class="views" role="tablist" aria-label=${t('views.label')}>
      ${VIEWS.map(
        (name) => html`
          <button type="button" role="tab" key=${name} aria-selected=${name === view ? 'true' : 'false'}
            onClick=${() => onChoose(name)}>
            <span>${t(`views.${name}`)}</span>
            ${counts && html` <span class="count">${counts[name]}</span>`}
          </button>`,
      )}
    </div>`;
}
