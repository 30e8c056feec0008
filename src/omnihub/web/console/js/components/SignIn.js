// The sign-in form: POST /api/v1/auth/login sets the HttpOnly session cookie.
import { api } from '../api.js';
import { html, useState } from '../html.js';
import { t } from '../i18n.js';

function reasonFor(error) {
  if (error.status === 401) return t('signIn.wrong');
  if (error.status === 429) return t('signIn.tooMany');
  return t('signIn.failed');
}

export function SignIn({ onSignedIn }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      onSignedIn(await api.signIn(email, password));
    } catch (failure) {
      setError(reasonFor(failure));
      setBusy(false);
    }
  }

  return html`
    <main class="sign-in">
      <form onSubmit=${submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">${t('signIn.title')}</h1>
        <label>
          <span>${t('signIn.email')}</span>
          <input type="email" name="email" autocomplete="username" required dir="auto"
            value=${email} onInput=${(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          <span>${t('signIn.password')}</span>
          <input type="password" name="password" autocomplete="current-password" required
            value=${password} onInput=${(e) => setPassword(e.currentTarget.value)} />
        </label>
        ${error && html`<p role="alert" class="error">${error}</p>`}
        <button type="submit" disabled=${busy}>${t('signIn.submit')}</button>
      </form>
    </main>`;
}
