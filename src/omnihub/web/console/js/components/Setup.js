// First run: no user exists yet, so whoever holds the setup code `omnihub serve` printed creates the
// first admin. POST /api/v1/setup signs them in with the same session cookie as signing in.
import { adminApi } from '../api.js';
import { html, useState } from '../html.js';
import { t } from '../i18n.js';

function reasonFor(error) {
  if (error.status === 403) return t('setup.wrongCode');
  if (error.status === 409) return t('setup.done');
  if (error.status === 429) return t('signIn.tooMany');
  return t('setup.failed');
}

export function Setup({ onSignedIn }) {
  const [form, setForm] = useState({ code: '', name: '', email: '', password: '' });
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const field = (name) => (event) => setForm({ ...form, [name]: event.currentTarget.value });

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      onSignedIn(await adminApi.completeSetup(form));
    } catch (failure) {
      setError(reasonFor(failure));
      setBusy(false);
    }
  }

  return html`
    <main class="sign-in">
      <form onSubmit=${submit} aria-labelledby="setup-title">
        <h1 id="setup-title">${t('setup.title')}</h1>
        <p class="hint">${t('setup.hint')}</p>
        <label>
          <span>${t('setup.code')}</span>
          <input name="code" autocomplete="off" required spellcheck="false" dir="ltr"
            value=${form.code} onInput=${field('code')} />
        </label>
        <label>
          <span>${t('setup.name')}</span>
          <input name="name" autocomplete="name" required dir="auto" value=${form.name} onInput=${field('name')} />
        </label>
        <label>
          <span>${t('setup.email')}</span>
          <input type="email" name="email" autocomplete="username" required dir="auto"
            value=${form.email} onInput=${field('email')} />
        </label>
        <label>
          <span>${t('setup.password')}</span>
          <input type="password" name="password" autocomplete="new-password" required minlength="8"
            value=${form.password} onInput=${field('password')} />
        </label>
        ${error && html`<p role="alert" class="error">${error}</p>`}
        <button type="submit" disabled=${busy}>${t('setup.submit')}</button>
      </form>
    </main>`;
}
