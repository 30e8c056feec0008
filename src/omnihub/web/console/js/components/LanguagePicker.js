// The top bar's language choice: saved as the user's locale (PATCH /me), applied at once (lang and dir).
import { api, SignedOut } from '../api.js';
import { html, useEffect, useState } from '../html.js';
import { chosenLanguage, followChoice, t } from '../i18n.js';

// Each language by its own name, as people look for it; "browser default" is said in the page's language.
const LANGUAGES = [
  ['en', 'English'],
  ['ar', 'العربية'],
  ['he', 'עברית'],
];

export function LanguagePicker() {
  const [choice, setChoice] = useState(() => chosenLanguage() || '');
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    // The hub's word on the user's choice (another browser may have changed it).
    api.probeSession().then(
      (me) => {
        setChoice(me.locale || '');
        followChoice(me.locale);
      },
      () => {},
    );
  }, []);

  async function choose(value) {
    setFailed(false);
    try {
      const me = await api.updateMe({ locale: value || null });
      setChoice(me.locale || '');
      await followChoice(me.locale);
    } catch (error) {
      if (!(error instanceof SignedOut)) setFailed(true);
    }
  }

  return html`
    <span class="language-picker">
      <select aria-label=${t('language.label')} value=${choice} onChange=${(event) => choose(event.currentTarget.value)}>
        ${LANGUAGES.map(([code, name]) => html`<option key=${code} value=${code} lang=${code}>${name}</option>`)}
        <option value="">${t('language.browser')}</option>
      </select>
      ${failed && html`<span role="alert" class="error">${t('language.failed')}</span>`}
    </span>`;
}
