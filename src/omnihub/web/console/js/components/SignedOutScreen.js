// The signed-out screen: the setup form while the hub has no user yet, else the sign-in form.
import { adminApi } from '../api.js';
import { html, useEffect, useState } from '../html.js';
import { Setup } from './Setup.js';
import { SignIn } from './SignIn.js';

export function SignedOutScreen({ onSignedIn }) {
  const [setupNeeded, setSetupNeeded] = useState(null);

  useEffect(() => {
    // If the question fails, sign-in is the safe answer: the setup route refuses once a user exists.
    adminApi.setupState().then(
      (state) => setSetupNeeded(state.needed === true),
      () => setSetupNeeded(false),
    );
  }, []);

  if (setupNeeded === null) return html`<p class="checking" aria-busy="true"></p>`;
  if (setupNeeded) return html`<${Setup} onSignedIn=${onSignedIn} />`;
  return html`<${SignIn} onSignedIn=${onSignedIn} />`;
}
