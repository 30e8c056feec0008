// The list's filters (inbox, status, team, label, channel, priority) and order; they combine with the views.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { SORTS } from '../listQuery.js';

const STATUSES = ['open', 'pending', 'snoozed', 'resolved'];
const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'];

function Choice({ label, value, options, onChange }) {
  return html`
    <label class="filter">
      <span>${label}</span>
      <select value=${value || ''} onChange=${(event) => onChange(event.currentTarget.value)}>
        <option value="">${t('filters.any')}</option>
        ${options.map(([optionValue, text]) => html`<option key=${optionValue} value=${optionValue}>${text}</option>`)}
      </select>
    </label>`;
}

const channelName = (type) => {
  const name = t(`channel.${type}`);
  return name === `channel.${type}` ? type : name;
};

export function FilterBar({ filters, sort, inboxes, teams, onChange }) {
  const set = (name, value) => {
    const next = { ...filters, [name]: value.trim() };
    if (!next[name]) delete next[name];
    onChange({ filters: next, sort });
  };
  const channelTypes = [...new Set(inboxes.map((inbox) => inbox.channel_type))].sort();
  return html`
    <div class="filter-bar" role="group" aria-label=${t('filters.label')}>
      <${Choice} label=${t('filters.inbox')} value=${filters.inbox_id} onChange=${(v) => set('inbox_id', v)}
        options=${inboxes.map((inbox) => [String(inbox.id), inbox.name])} />
      <${Choice} label=${t('filters.status')} value=${filters.status} onChange=${(v) => set('status', v)}
        options=${STATUSES.map((status) => [status, t(`status.${status}`)])} />
      <${Choice} label=${t('filters.team')} value=${filters.team_id} onChange=${(v) => set('team_id', v)}
        options=${teams.map((team) => [String(team.id), team.name])} />
      <label class="filter">
        <span>${t('filters.labelName')}</span>
        <input type="search" value=${filters.label || ''} maxlength="100" dir="auto"
          onChange=${(event) => set('label', event.currentTarget.value)} />
      </label>
      <${Choice} label=${t('filters.channel')} value=${filters.channel_type} onChange=${(v) => set('channel_type', v)}
        options=${channelTypes.map((type) => [type, channelName(type)])} />
      <${Choice} label=${t('filters.priority')} value=${filters.priority} onChange=${(v) => set('priority', v)}
        options=${PRIORITIES.map((priority) => [priority, t(`filters.priority.${priority}`)])} />
      <label class="filter">
        <span>${t('filters.sort')}</span>
        <select value=${sort} onChange=${(event) => onChange({ filters, sort: event.currentTarget.value })}>
          ${SORTS.map((name) => html`<option key=${name} value=${name}>${t(`filters.sort.${name}`)}</option>`)}
        </select>
      </label>
      <button type="button" class="secondary clear-filters" disabled=${Object.keys(filters).length === 0}
        onClick=${() => onChange({ filters: {}, sort })}>${t('filters.clear')}</button>
    </div>`;
}
