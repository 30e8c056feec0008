// Message catalogues (i18n/<language>.json) and the page's language and direction.
import { CONSOLE_ROOT } from './paths.js';

const SUPPORTED = ['en', 'ar', 'he'];
const RIGHT_TO_LEFT = new Set(['ar', 'he']);
let messages = {};
let fallback = {};

/** The first supported language among the browser's preferences, else English. */
export function pickLanguage(preferences) {
  for (const tag of preferences) {
    const base = String(tag || '').toLowerCase().split('-')[0];
    if (SUPPORTED.includes(base)) return base;
  }
  return 'en';
}

async function fetchCatalogue(language) {
  const response = await fetch(new URL(`i18n/${language}.json`, CONSOLE_ROOT));
  return response.ok ? response.json() : {};
}

/** Load the catalogue and set lang and dir on <html>: logical CSS properties do the mirroring. */
export async function startLanguage(preferences) {
  const language = pickLanguage(preferences);
  fallback = await fetchCatalogue('en');
  messages = language === 'en' ? fallback : await fetchCatalogue(language);
  document.documentElement.lang = language;
  document.documentElement.dir = RIGHT_TO_LEFT.has(language) ? 'rtl' : 'ltr';
  document.title = t('app.title');
  return language;
}

/** The message for key, with {name} placeholders filled from params. Missing keys fall back to English. */
export function t(key, params = {}) {
  const template = messages[key] ?? fallback[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** A date and time in the page's language. */
export function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: 'short', timeStyle: 'short' }).format(date);
}
