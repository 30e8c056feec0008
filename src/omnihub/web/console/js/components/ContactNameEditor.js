// "Edit name": the contact's name as a small form in the panel (Save or Cancel). Everyone who sees the
// contact gets the new name live (contact.updated).
import { api } from '../api.js';
import { html, useState } from '../html.js';
import { t } from '../i18n.js';
import { useAction } from '../useAction.js';

export function ContactNameEditor({ contact, onRenamed }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState('');
  const { busy, error, run } = useAction();

  if (!editing) {
    const start = () => {
      setName(contact.name || '');
      setEditing(true);
    };
    return html`<button type="button" class="secondary" onClick=${start}>${t('contactEdit.editName')}</button>`;
  }
  const save = async (event) => {
    event.preventDefault();
    let renamed = null;
    if (await run(async () => (renamed = await api.renameContact(contact.id, name)))) {
      onRenamed(renamed);
      setEditing(false);
    }
  };
  return html`
    <form class="contact-name-form" onSubmit=${save}>
      <label>
        <span>${t('contactEdit.name')}</span>
        <input type="text" dir="auto" required maxlength="200" value=${name}
          onInput=${(event) => setName(event.currentTarget.value)} />
      </label>
      <div class="form-buttons">
        <button type="submit" disabled=${busy || !name.trim()}>${t('contactEdit.save')}</button>
        <button type="button" class="secondary" onClick=${() => setEditing(false)}>${t('contactEdit.cancel')}</button>
      </div>
      ${error && html`<p role="alert" class="error">${error}</p>`}
    </form>`;
}
