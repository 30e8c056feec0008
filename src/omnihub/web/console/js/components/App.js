// Sign-in or the main screen, following the session: any 401 or a 4003 close returns to sign-in.
import { api, onSignedOut, SignedOut } from '../api.js';
import { forgetContacts } from '../contacts.js';
import { html, useEffect, useState } from '../html.js';
import { onLanguageChange } from '../i18n.js';
import { forgetListChoice } from '../listQuery.js';
import { forgetInboxes } from '../inboxes.js';
import { forgetUser, rememberUser, storedUser } from '../session.js';
import { SignedOutScreen } from './SignedOutScreen.js';
import { Workspace } from './Workspace.js';

export function App() {
  const [phase, setPhase] = useState('checking');
  const [user, setUser] = useState(storedUser);
  const [, setLanguage] = useState(document.documentElement.lang);
  useEffect(() => onLanguageChange(setLanguage), []); // a new language renders every string again

  useEffect(() => {
    const stop = onSignedOut(() => {
      forgetUser();
      forgetContacts();
      forgetInboxes();
      setPhase('signed-out');
    });
    api.probeSession().then(
      (me) => {
        // The role decides whether the admins' settings show; /me is the hub's word on it now.
        setUser((known) => ({ user_id: me.id, name: me.name, email: me.email, ...known, role: me.role }));
        setPhase('signed-in');
      },
      (error) => error instanceof SignedOut || setPhase('signed-out'),
    );
    return stop;
  }, []);

  const signedIn = (who) => {
    rememberUser(who);
    setUser(who);
    setPhase('signed-in');
  };
  const signOut = async () => {
    setPhase('signed-out');
    forgetUser();
    forgetContacts();
    forgetListChoice();
    forgetInboxes();
    await api.signOut().catch(() => {});
  };

  if (phase === 'checking') return html`<p class="checking" aria-busy="true"></p>`;
  if (phase === 'signed-out') return html`<${SignedOutScreen} onSignedIn=${signedIn} />`;
  return html`<${Workspace} user=${user} onSignOut=${signOut} />`;
}
