// Who is signed in, as the sign-in answer said. The session itself is the HttpOnly cookie, which no script
// can read; this is only for display (name) and for telling the agent's own messages apart.
const KEY = 'omnihub.console.user';

export function rememberUser(user) {
  sessionStorage.setItem(KEY, JSON.stringify(user));
}

export function storedUser() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || 'null');
  } catch {
    return null;
  }
}

export function forgetUser() {
  sessionStorage.removeItem(KEY);
}
