// How long the contact has been waiting for an answer ("waiting 5 min"), kept fresh while the row shows.
import { html, useEffect, useState } from '../html.js';
import { t } from '../i18n.js';

const MINUTE = 60_000;

function duration(milliseconds) {
  const minutes = Math.floor(milliseconds / MINUTE);
  const [value, unit] =
    minutes < 60 ? [minutes, 'minute'] : minutes < 48 * 60 ? [Math.floor(minutes / 60), 'hour'] : [Math.floor(minutes / 1440), 'day'];
  return new Intl.NumberFormat(document.documentElement.lang, { style: 'unit', unit, unitDisplay: 'short' }).format(value);
}

export function WaitingTime({ since }) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const started = Date.parse(since);
  if (!since || Number.isNaN(started)) return null;
  const waited = Math.max(0, now - started);
  const text = waited < MINUTE ? t('waiting.justNow') : t('waiting.for', { time: duration(waited) });
  return html`<span class="waiting" title=${new Date(started).toLocaleString(document.documentElement.lang)}>${text}</span>`;
}
