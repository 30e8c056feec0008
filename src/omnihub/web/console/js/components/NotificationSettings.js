// The top bar's "Notifications" menu: a tone and browser notifications, each on or off for this device.
import { html, useEffect, useRef, useState } from '../html.js';
import { t } from '../i18n.js';
import { notificationSettings, setBrowserNotifications, setSound } from '../notifications.js';

function useCloseOnOutside(open, close) {
  const root = useRef(null);
  useEffect(() => {
    if (!open) return undefined;
    const onPointer = (event) => root.current && !root.current.contains(event.target) && close();
    const onKey = (event) => event.key === 'Escape' && close();
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return root;
}

export function NotificationSettings() {
  const [open, setOpen] = useState(false);
  const [settings, setSettings] = useState(notificationSettings);
  const [blocked, setBlocked] = useState(false);
  const root = useCloseOnOutside(open, () => setOpen(false));

  const switchSound = (on) => {
    setSound(on);
    setSettings((current) => ({ ...current, sound: on }));
  };
  const switchBrowser = async (on) => {
    const granted = await setBrowserNotifications(on);
    setBlocked(on && !granted);
    setSettings((current) => ({ ...current, browser: granted }));
  };

  return html`
    <div class="notification-settings" ref=${root}>
      <button type="button" class="secondary" aria-expanded=${open ? 'true' : 'false'} aria-controls="notification-settings"
        onClick=${() => setOpen(!open)}>${t('presence.notifications')}</button>
      ${open && html`
        <div id="notification-settings" class="notification-menu" role="group" aria-label=${t('presence.notifications')}>
          <label><input type="checkbox" checked=${settings.sound} onChange=${(e) => switchSound(e.currentTarget.checked)} />
            <span>${t('presence.sound')}</span></label>
          <label><input type="checkbox" checked=${settings.browser} onChange=${(e) => switchBrowser(e.currentTarget.checked)} />
            <span>${t('presence.browserNotifications')}</span></label>
          ${blocked && html`<p class="notification-blocked" role="alert">${t('presence.blocked')}</p>`}
        </div>`}
    </div>`;
}
