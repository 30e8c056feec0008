// Message catalogues (i18n/<language>.json) and the page's language and direction.
import { CONSOLE_ROOT } from './paths.js';

const SUPPORTED = ['en', 'ar', 'he'];
const RIGHT_TO_LEFT = new Set(['ar', 'he']);
// The signed-in user's choice (GET /me's `locale`), remembered here so a reload starts in it at once.
const CHOICE_KEY = 'omnihub.console.locale';
let messages = {};
let fallback = {};
const listeners = new Set();

/** The first supported language among the browser's preferences, else English. */
export function pickLanguage(preferences) {
  for (const tag of preferences) {
    const base = String(tag || '').toLowerCase().split('-')[0];
    if (SUPPORTED.includes(base)) return base;
  }
  return 'en';
}

function browserLanguage() {
  return pickLanguage(navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language]);
}

async function fetchCatalogue(language) {
  const response = await fetch(new URL(`i18n/${language}.json`, CONSOLE_ROOT));
  return response.ok ? response.json() : {};
}

/** Load the catalogue and set lang and dir on <html>: logical CSS properties do the mirroring. */
async function applyLanguage(language) {
  if (!fallback['app.title']) fallback = await fetchCatalogue('en');
  messages = language === 'en' ? fallback : await fetchCatalogue(language);
  document.documentElement.lang = language;
  document.documentElement.dir = RIGHT_TO_LEFT.has(language) ? 'rtl' : 'ltr';
  document.title = t('app.title');
  for (const listener of [...listeners]) listener(language);
  return language;
}

/** The language at start: the user's last known choice, else the browser's. */
export function startLanguage() {
  return applyLanguage(chosenLanguage() || browserLanguage());
}

/** The user's choice ('en', 'ar', 'he'), or null: follow the browser. */
export function chosenLanguage() {
  try {
    const chosen = localStorage.getItem(CHOICE_KEY);
    return SUPPORTED.includes(chosen) ? chosen : null;
  } catch {
    return null; // storage refused (a locked-down browser): the browser's language, until /me answers
  }
}

/** Follow the user's choice (null: the browser's language); switches the page if that changes its language. */
export async function followChoice(locale) {
  try {
    if (SUPPORTED.includes(locale)) localStorage.setItem(CHOICE_KEY, locale);
    else localStorage.removeItem(CHOICE_KEY);
  } catch {
    // Not remembered in this browser; the hub remembers it.
  }
  const language = (SUPPORTED.includes(locale) && locale) || browserLanguage();
  if (language !== document.documentElement.lang) await applyLanguage(language);
}

/** Call listener(language) after each switch; returns the unsubscribe function. */
export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The message for key, with {name} placeholders filled from params. Missing keys fall back to English. */
export function t(key, params = {}) {
  const template = messages[key] ?? fallback[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

// Making an Intl.DateTimeFormat costs about a millisecond, and every list row and message shows a time:
// one per language, made once.
const timeFormats = new Map();

/** A date and time in the page's language. */
export function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const language = document.documentElement.lang;
  if (!timeFormats.has(language)) {
    timeFormats.set(language, new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' }));
  }
  return timeFormats.get(language).format(date);
}
