// Mail of an inbox that could not be made into a message: why, the raw mail to download, and a retry
// (after an upgrade or a settings change). Refreshed with the sync progress, since new mail may land here.
import { adminApi, quarantinedRawUrl } from '../api.js';
import { html, useState } from '../html.js';
import { formatTime, t } from '../i18n.js';
import { useAction } from '../useAction.js';
import { usePolling } from '../usePolling.js';

const POLL_SECONDS = 3;

function QuarantinedRow({ inbox, item, busy, onRetry }) {
  return html`
    <li class="settings-row quarantined">
      <span class="quarantine-reason" dir="auto">${item.reason}</span>
      <span class="muted" dir="ltr">${item.source}</span>
      <span class="muted">${t('admin.quarantine.details', { size: item.size, attempts: item.attempts })}</span>
      <span class="muted">${formatTime(item.created_at)}</span>
      <span class="row-actions">
        <a href=${quarantinedRawUrl(inbox.id, item.id)} download=${`quarantined-${item.id}.eml`}
          aria-label=${t('admin.quarantine.downloadNamed', { source: item.source })}>${t('admin.quarantine.download')}</a>
        <button type="button" class="secondary" disabled=${busy} onClick=${onRetry}
          aria-label=${t('admin.quarantine.retryNamed', { source: item.source })}>${t('admin.quarantine.retry')}</button>
      </span>
    </li>`;
}

/** Older pages, asked for when the admin wants them (the newest page is polled; these are not). */
function useOlderPages(inboxId, newest) {
  const [older, setOlder] = useState({ items: [], cursor: undefined });
  const cursor = older.cursor === undefined ? newest?.next_cursor : older.cursor;
  const newestIds = new Set((newest?.items || []).map((item) => item.id));
  const loadMore = async () => {
    const page = await adminApi.listQuarantine(inboxId, cursor);
    setOlder((known) => ({ items: [...known.items, ...page.items], cursor: page.next_cursor }));
  };
  // An item may move from an older page into the newest one as new mail is quarantined: shown once.
  const items = older.items.filter((item) => !newestIds.has(item.id));
  return { items, hasMore: Boolean(cursor), loadMore };
}

export function SettingsQuarantine({ inbox }) {
  const held = usePolling(() => adminApi.listQuarantine(inbox.id), POLL_SECONDS, inbox.id);
  const older = useOlderPages(inbox.id, held.value);
  const { busy, error, run } = useAction();
  const [outcome, setOutcome] = useState('');
  const items = held.value && [...held.value.items, ...older.items];

  async function retry(item) {
    let answer = null;
    setOutcome('');
    if (await run(async () => (answer = await adminApi.retryQuarantined(inbox.id, item.id)))) {
      setOutcome(answer.state === 'released' ? t('admin.quarantine.released') : t('admin.quarantine.stillHeld'));
      held.refresh();
    }
  }

  return html`
    <section aria-labelledby="quarantine-title">
      <h4 id="quarantine-title">${t('admin.quarantine.title')}</h4>
      ${items && items.length === 0 && html`<p>${t('admin.quarantine.none')}</p>`}
      ${items &&
      html`<ul class="settings-list" aria-label=${t('admin.quarantine.title')}>
        ${items.map(
          (item) => html`<${QuarantinedRow} key=${item.id} inbox=${inbox} item=${item} busy=${busy}
            onRetry=${() => retry(item)} />`,
        )}
      </ul>`}
      ${older.hasMore &&
      html`<button type="button" class="secondary" disabled=${busy} onClick=${() => run(older.loadMore)}>
        ${t('admin.quarantine.more')}</button>`}
      ${outcome && html`<p role="status">${outcome}</p>`}
      ${error && html`<p role="alert" class="error">${error}</p>`}
    </section>`;
}
