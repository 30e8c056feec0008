// "Snooze": put the open conversation away until a time (in an hour, tomorrow at 9:00, next Monday at
// 9:00, or a date and time the agent picks); the hub opens it again then, or when the contact writes.
import { html, useEffect, useRef, useState } from '../html.js';
import { formatTime, t } from '../i18n.js';

const HOUR = 60 * 60 * 1000;

function atNine(date, daysAhead) {
  const moment = new Date(date);
  moment.setDate(moment.getDate() + daysAhead);
  moment.setHours(9, 0, 0, 0);
  return moment;
}

/** The choices, computed when the menu opens (local time: "tomorrow" is the agent's tomorrow). */
function presets(now = new Date()) {
  const untilMonday = ((8 - now.getDay()) % 7) || 7;
  return [
    { key: 'hour', until: new Date(now.getTime() + HOUR) },
    { key: 'tomorrow', until: atNine(now, 1) },
    { key: 'nextWeek', until: atNine(now, untilMonday) },
  ];
}

function CustomTime({ busy, onPick }) {
  const [value, setValue] = useState('');
  const submit = (event) => {
    event.preventDefault();
    const until = new Date(value); // a datetime-local value is read as local time
    if (!Number.isNaN(until.getTime())) onPick(until);
  };
  return html`
    <form class="snooze-custom" onSubmit=${submit}>
      <label>
        <span>${t('convActions.snoozeCustom')}</span>
        <input type="datetime-local" value=${value} onInput=${(event) => setValue(event.currentTarget.value)} />
      </label>
      <button type="submit" disabled=${busy || !value}>${t('convActions.snoozeAtTime')}</button>
    </form>`;
}

export function SnoozeMenu({ conversation, busy, change }) {
  const [open, setOpen] = useState(false);
  const root = useRef(null);
  useEffect(() => {
    if (!open) return undefined;
    // A click elsewhere or Escape closes the menu, as menus do.
    const outside = (event) => root.current && !root.current.contains(event.target) && setOpen(false);
    const escape = (event) => event.key === 'Escape' && setOpen(false);
    document.addEventListener('pointerdown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('pointerdown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);

  async function snooze(until) {
    if (await change({ snoozed_until: until.toISOString() })) setOpen(false);
  }

  const snoozed = conversation.status === 'snoozed';
  return html`
    <div class="snooze" ref=${root}>
      <button type="button" class="secondary" aria-haspopup="true" aria-expanded=${open ? 'true' : 'false'}
        disabled=${busy} onClick=${() => setOpen(!open)}>${t('convActions.snooze')}</button>
      ${snoozed && html`<span class="snoozed-until">${conversation.snoozed_until
        ? t('convActions.snoozedUntil', { time: formatTime(conversation.snoozed_until) })
        : t('convActions.snoozedUntilReply')}</span>`}
      ${open && html`
        <div class="snooze-menu">
          <ul role="menu" aria-label=${t('convActions.snooze')}>
            ${presets().map(({ key, until }) => html`
              <li key=${key} role="none">
                <button type="button" role="menuitem" class="link" disabled=${busy} onClick=${() => snooze(until)}>
                  ${t(`convActions.snoozeFor.${key}`)}
                </button>
              </li>`)}
          </ul>
          <${CustomTime} busy=${busy} onPick=${snooze} />
        </div>`}
    </div>`;
}
