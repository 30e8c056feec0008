// Telling the agent of new work while they look elsewhere: a short tone (WebAudio, no file) and a browser
// notification, each switched on per device (localStorage). For a new conversation, and for a new message
// from the contact in a conversation assigned to the agent; never for the agent's own messages, nor for
// the conversation they have open in a visible tab.
import { t } from './i18n.js';

const KEYS = { sound: 'omnihub.notifications.sound', browser: 'omnihub.notifications.browser' };
const TONE_GAP_MS = 1000; // a burst of events is one tone
const assignees = new Map(); // conversation id -> assignee id, from the events (the list may not hold it)
let audio = null;
let lastToneAt = 0;

function stored(name) {
  try {
    return localStorage.getItem(KEYS[name]) === 'on';
  } catch {
    return false; // storage refused (a privacy setting): switched off
  }
}

export function notificationSettings() {
  const permitted = typeof Notification !== 'undefined' && Notification.permission === 'granted';
  return { sound: stored('sound'), browser: stored('browser') && permitted };
}

function store(name, on) {
  try {
    localStorage.setItem(KEYS[name], on ? 'on' : 'off');
  } catch {
    // storage refused (a privacy setting): the switch stays off, as reading it finds nothing
  }
}

/** Switch the tone on or off; on is a click, which is when a browser lets a page start its audio. */
export function setSound(on) {
  store('sound', on);
  if (on) {
    audio = audio || new AudioContext();
    audio.resume();
  }
}

/** Switch browser notifications; on asks the browser's permission (now, not before). Whether they are on. */
export async function setBrowserNotifications(on) {
  if (on && typeof Notification === 'undefined') on = false; // a browser without them
  else if (on && Notification.permission !== 'granted') on = (await Notification.requestPermission()) === 'granted';
  store('browser', on);
  return on;
}

function playTone() {
  const now = Date.now();
  if (now - lastToneAt < TONE_GAP_MS) return;
  lastToneAt = now;
  audio = audio || new AudioContext();
  if (audio.state === 'suspended') audio.resume(); // made before this page's first click (a reload)
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.frequency.value = 880;
  gain.gain.setValueAtTime(0.15, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.25);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start();
  oscillator.stop(audio.currentTime + 0.25);
}

function showNotification(title, body, conversationId) {
  // One per conversation (the tag): a later one replaces it, also across this agent's tabs.
  const shown = new Notification(title, { body, tag: `omnihub-conversation-${conversationId}` });
  shown.onclick = () => window.focus();
}

/** What a live event should alert the agent of, if anything: { title, body, conversationId }. */
function alertOf(frame, state) {
  const { type, data } = frame;
  const myId = state.me?.id;
  if (type === 'conversation.created' || type === 'conversation.updated') {
    assignees.set(data.id, data.assignee_id);
    // One an agent starts is assigned to them: that agent needs no news of it.
    if (type === 'conversation.created' && (myId == null || data.assignee_id !== myId)) {
      return { title: t('presence.newConversation'), body: data.subject || '', conversationId: data.id };
    }
    return null;
  }
  if (type !== 'message.created' || data.direction !== 'incoming' || data.kind === 'activity') return null;
  const listed = state.conversations.find((c) => c.id === data.conversation_id);
  const assignee = assignees.has(data.conversation_id) ? assignees.get(data.conversation_id) : listed?.assignee_id;
  if (myId == null || assignee !== myId) return null;
  return { title: t('presence.newMessage'), body: data.content || '', conversationId: data.conversation_id };
}

/** Called with every live event and the screen's state (useHub). */
export function alertFor(frame, state) {
  const alert = alertOf(frame, state);
  if (!alert) return;
  if (alert.conversationId === state.selectedId && document.visibilityState === 'visible') return;
  const settings = notificationSettings();
  try {
    if (settings.sound) playTone();
    if (settings.browser) showNotification(alert.title, alert.body, alert.conversationId);
  } catch (failure) {
    // Some browsers refuse page notifications or audio (a mobile one wants a service worker): the
    // alert is lost, the event's handling goes on.
    console.warn('omnihub console: could not alert:', failure.message);
  }
}
