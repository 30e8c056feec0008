// An e-mail inbox's form state and the settings it stands for (docs/channels/email.md), for creating and
// for editing. Passwords are write-only: a form never starts with one, and an empty one is left out of
// what is sent, which keeps the stored password (PATCH merges; see docs/api.md).
export const EMPTY_EMAIL_FORM = {
  name: '',
  from_address: '',
  from_name: '',
  imap: { host: '', port: '993', security: 'tls', username: '', password: '', folders: 'INBOX' },
  smtp: { host: '', port: '587', security: 'starttls', username: '', password: '' },
};

function serverForm(stored, empty) {
  const form = { ...empty, password: '' };
  for (const name of ['host', 'security', 'username']) if (stored?.[name] != null) form[name] = String(stored[name]);
  if (stored?.port != null) form.port = String(stored.port);
  if (empty.folders !== undefined && Array.isArray(stored?.folders)) form.folders = stored.folders.join(', ');
  return form;
}

/** The form for an inbox as GET /inboxes shows it: every setting but the passwords. */
export function emailFormOf(inbox) {
  const config = inbox.config || {};
  return {
    name: inbox.name,
    from_address: config.from_address || '',
    from_name: config.from_name || '',
    imap: serverForm(config.imap, EMPTY_EMAIL_FORM.imap),
    smtp: serverForm(config.smtp, EMPTY_EMAIL_FORM.smtp),
  };
}

// `editing`: an emptied optional field is sent as null, which removes the stored value.
function serverConfig(server, editing) {
  const config = { host: server.host.trim(), port: Number(server.port), security: server.security };
  if (server.username.trim()) config.username = server.username.trim();
  else if (editing) config.username = null;
  if (server.password) config.password = server.password;
  if (server.folders !== undefined) {
    config.folders = server.folders.split(',').map((f) => f.trim()).filter(Boolean);
  }
  return config;
}

export function emailConfigOf(form, { editing = false } = {}) {
  const config = {
    imap: serverConfig(form.imap, editing),
    smtp: serverConfig(form.smtp, editing),
    from_address: form.from_address.trim(),
  };
  if (form.from_name.trim()) config.from_name = form.from_name.trim();
  else if (editing) config.from_name = null;
  return config;
}
