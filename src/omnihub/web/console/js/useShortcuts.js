// The console's keys: j / k (or Alt+J / Alt+K, which also work while typing) for the next / previous
// conversation, ? for the list of shortcuts. Plain letters are left alone while the agent types.
import { useEffect, useRef } from './html.js';

export const SHORTCUTS = [
  { keys: ['j', 'Alt+J'], action: 'shortcuts.next' },
  { keys: ['k', 'Alt+K'], action: 'shortcuts.previous' },
  { keys: ['?'], action: 'shortcuts.help' },
];

function isTyping(target) {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

/** Which way key moves in the list (1, -1), or 0. */
function stepOf(event) {
  const key = event.code === 'KeyJ' ? 'j' : event.code === 'KeyK' ? 'k' : '';
  if (!key || event.ctrlKey || event.metaKey) return 0;
  if (!event.altKey && (event.shiftKey || isTyping(event.target))) return 0;
  return key === 'j' ? 1 : -1;
}

export function neighbour(conversations, selectedId, step) {
  if (!conversations.length) return null;
  const index = conversations.findIndex((c) => c.id === selectedId);
  const next = index < 0 ? (step > 0 ? 0 : conversations.length - 1) : index + step;
  return conversations[Math.max(0, Math.min(conversations.length - 1, next))].id;
}

export function useShortcuts({ conversations, selectedId, onSelect, onHelp }) {
  const latest = useRef({});
  latest.current = { conversations, selectedId, onSelect, onHelp };
  useEffect(() => {
    const onKey = (event) => {
      const { conversations: list, selectedId: current, onSelect: select, onHelp: help } = latest.current;
      if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
      if (event.key === '?' && !isTyping(event.target)) {
        event.preventDefault();
        help();
        return;
      }
      const step = stepOf(event);
      const id = step && neighbour(list, current, step);
      if (id == null || id === 0 || id === current) return;
      event.preventDefault();
      select(id);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
