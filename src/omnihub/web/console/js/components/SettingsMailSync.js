// An e-mail inbox's mail sync: each folder's progress and last error (refreshed every few seconds while
// shown: progress is not an event on /ws), and the quarantine of mail that could not be imported.
import { adminApi } from '../api.js';
import { html } from '../html.js';
import { formatTime, t } from '../i18n.js';
import { usePolling } from '../usePolling.js';
import { SettingsQuarantine } from './SettingsQuarantine.js';

const POLL_SECONDS = 3;

function progressText(progress) {
  const state = progress?.state;
  const label = state ? t(`admin.sync.state.${state}`) : t('admin.sync.state.waiting');
  if (progress?.total == null) return label;
  return `${label} · ${t('admin.sync.count', { done: progress.done ?? 0, total: progress.total })}`;
}

function StreamRow({ stream }) {
  const { progress } = stream;
  return html`
    <li class="settings-row">
      <span dir="auto">${stream.stream}</span>
      <span>${progressText(progress)}</span>
      ${progress?.total > 0 &&
      html`<progress max=${progress.total} value=${progress.done ?? 0}
        aria-label=${t('admin.sync.progressOf', { folder: stream.stream })}></progress>`}
      ${stream.error && html`<span class="error">${t('admin.sync.error', { reason: stream.error })}</span>`}
      <span class="muted">${formatTime(stream.updated_at)}</span>
    </li>`;
}

export function SettingsMailSync({ inbox }) {
  const sync = usePolling(() => adminApi.syncStatus(inbox.id), POLL_SECONDS, inbox.id);
  const streams = sync.value?.streams;
  return html`
    <section class="settings-members" aria-labelledby="mail-sync-title">
      <h3 id="mail-sync-title" dir="auto">${t('admin.inbox.syncNamed', { name: inbox.name })}</h3>
      ${sync.failed && html`<p role="alert" class="error">${t('settings.failed')}</p>`}
      ${streams && streams.length === 0 && html`<p>${t('admin.sync.none')}</p>`}
      ${streams &&
      html`<ul class="settings-list" aria-label=${t('admin.sync.folders')}>
        ${streams.map((stream) => html`<${StreamRow} key=${stream.stream} stream=${stream} />`)}
      </ul>`}
      <${SettingsQuarantine} inbox=${inbox} />
    </section>`;
}
