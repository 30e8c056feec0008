// The console's keys. j / k (or Alt+J / Alt+K, which also work while typing): next / previous conversation;
// r: reply, n: private note (the reply box, focused in that mode); a: assign to me; e: resolve (as "e" is
// archive / done in Gmail and Front); /: the search box; Ctrl+K or Cmd+K (also while typing): the command
// palette; ?: the list of shortcuts. Plain keys are left alone while the agent types, and while a dialog is
// open. Letters are read by their position on the keyboard (event.code), so they work in any layout.
import { useEffect, useRef } from './html.js';

export const SHORTCUTS = [
  { keys: ['j', 'Alt+J'], action: 'shortcuts.next' },
  { keys: ['k', 'Alt+K'], action: 'shortcuts.previous' },
  { keys: ['r'], action: 'shortcuts.reply' },
  { keys: ['n'], action: 'shortcuts.note' },
  { keys: ['a'], action: 'shortcuts.assign' },
  { keys: ['e'], action: 'shortcuts.resolve' },
  { keys: ['/'], action: 'shortcuts.search' },
  { keys: ['Ctrl+K', '⌘K'], action: 'shortcuts.palette' },
  { keys: ['?'], action: 'shortcuts.help' },
];

// What the reply box does with Enter (components/ReplyBox.js), listed on the same sheet.
export const REPLY_KEYS = [
  { keys: ['Enter'], action: 'shortcuts.newLine' },
  { keys: ['Ctrl+Enter', '⌘Enter'], action: 'shortcuts.send' },
];

const LETTER_COMMANDS = { KeyR: 'reply', KeyN: 'note', KeyA: 'assignToMe', KeyE: 'resolve' };

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

const isPaletteKey = (event) => event.code === 'KeyK' && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
const isPlain = (event) => !(event.ctrlKey || event.metaKey || event.altKey) && !isTyping(event.target);

/** The desk command a plain key runs ('search', 'help', 'reply', ...), or null. */
function commandOf(event) {
  if (!isPlain(event)) return null;
  if (event.key === '?') return 'help';
  if (event.key === '/') return 'search';
  return event.shiftKey ? null : LETTER_COMMANDS[event.code] || null;
}

function moveInList(event, { conversations, selectedId, onSelect }) {
  const step = stepOf(event);
  const id = step && neighbour(conversations, selectedId, step);
  if (id == null || id === 0 || id === selectedId) return;
  event.preventDefault();
  onSelect(id);
}

/** desk: the commands of useDeskCommands. */
export function useShortcuts({ conversations, selectedId, onSelect, desk }) {
  const latest = useRef({});
  latest.current = { conversations, selectedId, onSelect, desk };
  useEffect(() => {
    const onKey = (event) => {
      if (event.defaultPrevented) return;
      const dialogOpen = document.querySelector('dialog[open]') !== null;
      if (isPaletteKey(event)) {
        event.preventDefault(); // never the browser's own Ctrl+K, even with the palette open already
        if (!dialogOpen) latest.current.desk.palette();
        return;
      }
      if (dialogOpen) return;
      const command = commandOf(event);
      if (command) {
        event.preventDefault(); // "/" would otherwise be typed into the search box it focuses
        latest.current.desk[command]();
        return;
      }
      moveInList(event, latest.current);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
