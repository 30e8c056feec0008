// Files attached to a message: the hub's limits (GET /attachments/limits, asked once), checking a choice
// against them before anything is uploaded, sizes for people, and the base64 the API takes.
import { api, SignedOut } from './api.js';
import { t } from './i18n.js';
import { API_ROOT } from './paths.js';

// Room left in the request for the text (at most 100 000 characters) and the JSON around the files.
const BODY_RESERVE_BYTES = 320 * 1024;
const PER_FILE_JSON_BYTES = 600; // name, type and keys of one file
const MAX_NAME_CHARACTERS = 255; // what the API takes; the hub shortens further, keeping the extension

let limits = null;

/** The hub's limits, asked once per page; null when they could not be read (the hub still checks). */
export function attachmentLimits() {
  limits ??= api.attachmentLimits().catch((error) => {
    limits = null; // ask again next time
    if (!(error instanceof SignedOut)) console.warn('omnihub console: attachment limits:', error.message);
    return null;
  });
  return limits;
}

export const attachmentUrl = (attachment) => new URL(`attachments/${attachment.id}`, API_ROOT).href;

export const isInlineImage = (attachment, policy) =>
  Boolean(policy?.inline_image_types.includes(attachment.content_type));

const base64Bytes = (size) => 4 * Math.ceil(size / 3);

/** How many bytes of request these files take once base64-encoded in the message's JSON. */
export function requestBytes(files) {
  return files.reduce((sum, file) => sum + base64Bytes(file.size) + PER_FILE_JSON_BYTES, BODY_RESERVE_BYTES);
}

/** The most a message's files may weigh together: what fits the request once base64-encoded. */
export const maxTotalBytes = (policy) =>
  Math.max(0, Math.floor(((policy.max_request_bytes - BODY_RESERVE_BYTES) * 3) / 4));

/** A size in the page's language, in binary units ("25 MB" for 25 × 1024 × 1024 bytes). */
export function formatSize(bytes) {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const format = { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: unit ? 1 : 0 };
  return new Intl.NumberFormat(document.documentElement.lang, format).format(value);
}

/** Add files to a choice within the hub's limits: { files: the new choice, problems: why some were left out }. */
export function addWithinLimits(chosen, added, policy) {
  const files = [...chosen];
  const problems = [];
  for (const file of added) {
    if (!policy) {
      files.push(file);
    } else if (files.length >= policy.max_files) {
      problems.push(t('attach.tooMany', { count: policy.max_files }));
      break;
    } else if (file.size > policy.max_file_bytes) {
      problems.push(t('attach.tooLarge', { name: file.name, limit: formatSize(policy.max_file_bytes) }));
    } else if (requestBytes([...files, file]) > policy.max_request_bytes) {
      problems.push(t('attach.tooMuch', { name: file.name, limit: formatSize(maxTotalBytes(policy)) }));
    } else {
      files.push(file);
    }
  }
  return { files, problems };
}

// A name the API takes: at most 255 characters (code points, never half a surrogate pair), extension kept.
function apiName(name) {
  const characters = Array.from(name || 'attachment');
  if (characters.length <= MAX_NAME_CHARACTERS) return characters.join('');
  const dot = characters.lastIndexOf('.');
  const extension = dot > 0 && characters.length - dot <= 11 ? characters.slice(dot) : [];
  return [...characters.slice(0, MAX_NAME_CHARACTERS - extension.length), ...extension].join('');
}

// FileReader encodes in the browser's own code, off the page's script: a 25 MB file does not freeze the tab.
function readAsBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const dataUrl = String(reader.result);
      resolve(dataUrl.slice(dataUrl.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** The files as the API's `attachments`: [{ filename, content_type, data_base64 }]. */
export function encodeFiles(files) {
  return Promise.all(
    files.map(async (file) => ({
      filename: apiName(file.name),
      content_type: file.type || 'application/octet-stream',
      data_base64: await readAsBase64(file),
    })),
  );
}
