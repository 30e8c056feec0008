// The open conversation's labels as chips: the agent adds one by typing it (Enter or "Add") and removes
// one with its ×. The hub trims, lower-cases and sorts them; the chips show what it kept.
import { html, useState } from '../html.js';
import { t } from '../i18n.js';

export function LabelEditor({ labels, busy, change }) {
  const [typed, setTyped] = useState('');

  async function add(event) {
    event.preventDefault();
    const label = typed.trim();
    if (!label) return;
    setTyped('');
    // Computed from the labels as the hub last answered, so a label added meanwhile stays.
    if (!(await change((latest) => ({ labels: [...latest.labels, label] })))) setTyped(label);
  }

  return html`
    <div class="labels">
      <ul class="label-chips" aria-label=${t('convActions.labels')}>
        ${labels.map(
          (label) => html`
            <li key=${label} class="chip">
              <span dir="auto">${label}</span>
              <button type="button" class="link" disabled=${busy} aria-label=${t('convActions.removeLabel', { label })}
                onClick=${() => change((latest) => ({ labels: latest.labels.filter((l) => l !== label) }))}>×</button>
            </li>`,
        )}
      </ul>
      <form class="add-label" onSubmit=${add}>
        <input type="text" aria-label=${t('convActions.addLabel')} placeholder=${t('convActions.addLabel')}
          maxlength="64" value=${typed} onInput=${(event) => setTyped(event.currentTarget.value)} />
        <button type="submit" class="secondary" disabled=${!typed.trim()}>${t('convActions.add')}</button>
      </form>
    </div>`;
}
