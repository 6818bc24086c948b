/**
 * Words for sizes and for text nobody has vetted. Messages describe the shape of unknown input (a body,
 * a file) instead of quoting it: the input may be a secret (a file the user did not mean to pass) or
 * hostile (terminal escapes).
 */

/** 100 MB, 1.5 MB, 12 KB, 300 bytes: decimal units, as Tempo's limits are written. */
/** A JSON object (not null, not an array): what an answer's body or a field must be before its keys are read. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) {
    return `${Number((bytes / 1e9).toFixed(1))} GB`;
  }
  if (bytes >= 1e6) {
    return `${Number((bytes / 1e6).toFixed(1))} MB`;
  }
  if (bytes >= 1e3) {
    return `${Number((bytes / 1e3).toFixed(1))} KB`;
  }
  return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** Whether text looks like an HTML page (a login page, a proxy's error page, a web server's 404). */
export function looksLikeHtml(text: string): boolean {
  return (
    /^\s*(<!doctype html|<html|<head|<body|<title|<!--)/i.test(text.slice(0, 1024)) ||
    /<html[\s>]/i.test(text.slice(0, 1024))
  );
}

function firstCharacter(c: string): string {
  if (/\p{L}/u.test(c)) {
    return 'a letter';
  }
  if (/\p{N}/u.test(c)) {
    return 'a digit';
  }
  if (/^[!-/:-@[-`{-~]$/.test(c)) {
    return `'${c}'`;
  }
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? 'a control character' : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** "an empty body", "an HTML page", "text of 1,234 characters starting with a letter": never the text itself. */
export function describeText(text: string, empty = 'an empty body'): string {
  if (text.length === 0) {
    return empty;
  }
  const trimmed = text.trimStart();
  if (trimmed.length === 0) {
    return `only whitespace (${text.length.toLocaleString('en-US')} characters)`;
  }
  if (looksLikeHtml(trimmed)) {
    return 'an HTML page';
  }
  if (/^<\?xml/i.test(trimmed)) {
    return 'an XML document';
  }
  const first = String.fromCodePoint(trimmed.codePointAt(0) ?? 0);
  return `text of ${text.length.toLocaleString('en-US')} characters starting with ${firstCharacter(first)}`;
}

/**
 * A server's own words for a message: whitespace collapsed, control characters (terminal escapes)
 * dropped, at most `max` characters.
 */
export function serverWords(text: string, max: number): string {
  const clean = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
