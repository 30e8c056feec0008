// Settings > API tokens: the named tokens programs use (console sign-ins are left out: they come and go
// with each browser), issuing one, and revoking one. A token itself is shown once, when it is made.
import { adminApi, SignedOut } from '../api.js';
import { html, useEffect, useState } from '../html.js';
import { formatTime, t } from '../i18n.js';
import { useAction } from '../useAction.js';
import { NewTokenForm } from './SettingsNewToken.js';

const CONSOLE_SESSION = 'console session';

function TokenRow({ token, busy, onRevoke }) {
  return html`
    <li class="settings-row">
      <span dir="auto">${token.name}</span>
      <span class="muted" dir="ltr">${token.user_email}</span>
      <span class="muted">${token.expires_at
        ? t('admin.tokens.expires', { when: formatTime(token.expires_at) })
        : t('admin.tokens.noExpiry')}</span>
      <span class="muted">${token.last_used_at
        ? t('admin.tokens.lastUsed', { when: formatTime(token.last_used_at) })
        : t('admin.tokens.neverUsed')}</span>
      <button type="button" class="secondary" disabled=${busy} onClick=${onRevoke}
        aria-label=${t('admin.tokens.revokeNamed', { name: token.name })}>${t('admin.tokens.revoke')}</button>
    </li>`;
}

export function SettingsTokens({ me }) {
  const [tokens, setTokens] = useState(null);
  const [failed, setFailed] = useState(false);
  const { busy, error, run } = useAction();
  const load = () =>
    adminApi.listTokens().then(
      (all) => setTokens(all.filter((token) => token.name !== CONSOLE_SESSION)),
      (e) => e instanceof SignedOut || setFailed(true),
    );
  useEffect(() => {
    load();
  }, []);
  const revoke = async (token) => (await run(() => adminApi.revokeToken(token.id))) && load();

  return html`
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">${t('admin.page.tokens')}</h2>
      ${failed && html`<p role="alert" class="error">${t('settings.failed')}</p>`}
      ${tokens && tokens.length === 0 && html`<p>${t('admin.tokens.none')}</p>`}
      ${tokens &&
      html`<ul class="settings-list" aria-label=${t('admin.page.tokens')}>
        ${tokens.map((token) => html`<${TokenRow} key=${token.id} token=${token} busy=${busy} onRevoke=${() => revoke(token)} />`)}
      </ul>`}
      ${error && html`<p role="alert" class="error">${error}</p>`}
      <${NewTokenForm} me=${me} onCreated=${load} />
    </section>`;
}
