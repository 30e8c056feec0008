// Every URL is derived from where this file was loaded from, so the console works wherever the hub
// mounts it (/console/ today) and the API is always the hub's own, next to it.
export const CONSOLE_ROOT = new URL('../', import.meta.url);
export const API_ROOT = new URL('../api/v1/', CONSOLE_ROOT);

export function socketUrl(since) {
  const url = new URL('../ws', CONSOLE_ROOT);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (since != null) url.searchParams.set('since', String(since));
  return url;
}
