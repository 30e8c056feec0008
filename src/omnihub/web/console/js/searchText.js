// What a search query means and which part of a result it matched, for the search box (pure functions).

// Digits the agent may type: ASCII, Arabic-Indic and Extended Arabic-Indic (the console's languages).
const DIGIT_ZEROS = [0x30, 0x660, 0x6f0];
const PHONE_LIKE = /^\+?[\d\u0660-\u0669\u06f0-\u06f9\s().\-/]+$/;
const MIN_PHONE_DIGITS = 3; // as the hub: fewer digits are not searched as a phone number

function digitValue(character) {
  const code = character.codePointAt(0);
  const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9);
  return zero === undefined ? null : code - zero;
}

function asciiDigits(text) {
  return [...text].map(digitValue).filter((d) => d !== null).join('');
}

/** The conversation number in "#123" or "123" (any of those digits), else null. */
export function conversationNumber(query) {
  const text = query.trim().replace(/^#\s*/, '');
  if (!text || !/^[\d\u0660-\u0669\u06f0-\u06f9]+$/.test(text)) return null;
  const number = Number(asciiDigits(text));
  return number > 0 && Number.isSafeInteger(number) ? number : null;
}

function plainMatch(value, query) {
  const needle = query.trim().toLowerCase();
  const hay = value.toLowerCase();
  // Lower-casing may change a string's length (rare letters): then no highlight rather than a wrong one.
  if (!needle || hay.length !== value.length) return null;
  const start = hay.indexOf(needle);
  return start < 0 ? null : [start, start + needle.length];
}

/** "555 01" in "+1415555 0123": the hub matches phone numbers by their digits, so the highlight does too. */
function digitMatch(value, query) {
  if (!PHONE_LIKE.test(query.trim())) return null;
  const needle = asciiDigits(query).replace(/^0+/, '');
  if (needle.length < MIN_PHONE_DIGITS) return null;
  const positions = [];
  let digits = '';
  for (let index = 0; index < value.length; index += 1) {
    const digit = digitValue(value[index]); // by UTF-16 unit, as slice() counts: digits are all single units
    if (digit === null) continue;
    positions.push(index);
    digits += digit;
  }
  const start = digits.indexOf(needle);
  return start < 0 ? null : [positions[start], positions[start + needle.length - 1] + 1];
}

/** text cut into [{ text, matched }] parts: the part query matched is to be marked. */
export function matchedParts(text, query) {
  const value = String(text ?? '');
  const range = plainMatch(value, query) || digitMatch(value, query);
  if (!range) return [{ text: value, matched: false }];
  const [start, end] = range;
  return [
    { text: value.slice(0, start), matched: false },
    { text: value.slice(start, end), matched: true },
    { text: value.slice(end), matched: false },
  ].filter((part) => part.text);
}
