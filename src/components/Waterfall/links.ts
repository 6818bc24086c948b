import { BIDI_CONTROLS } from '../DataText/DataText';

/**
 * Links built from trace data. Attribute values are attacker-controlled text (any service can put
 * anything in a span), so a value becomes a link only when it parses as an absolute http(s) URL:
 * `javascript:`, `data:` and relative URLs stay plain text.
 */
export function safeHttpUrl(value: string): string | null {
  return linkTarget(value)?.href ?? null;
}

export interface LinkTarget {
  /** where the link goes: the URL without its user name and password */
  href: string;
  /** the host (and port) it goes to, as the browser will reach it: lower case, IDN as punycode */
  host: string;
  /**
   * Whether the text alone says where the link goes: it starts with the scheme and the host, plainly. False
   * for `https://good.example@evil.example/` (the host is after the @), `https://good.example\@evil/`,
   * look-alike letters (`https://gооgle.com` with Cyrillic o's reaches xn--ggle-55da.com), escapes, spaces
   * or bidirectional controls that make the text read other than it goes; the UI then shows the host.
   */
  textShowsHost: boolean;
}

/** Where a value that looks like an http(s) URL goes, or null when it does not become a link. */
export function linkTarget(value: string): LinkTarget | null {
  const text = value.trim();
  if (!/^https?:\/\//i.test(text)) {
    return null;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return null;
  }
  const hadUserinfo = url.username !== '' || url.password !== '';
  url.username = '';
  url.password = '';
  const prefix = `${url.protocol}//${url.host}`;
  const next = text.charAt(prefix.length);
  const textShowsHost =
    !hadUserinfo &&
    !BIDI_CONTROLS.test(text) &&
    text.slice(0, prefix.length).toLowerCase() === prefix &&
    (next === '' || next === '/' || next === '?' || next === '#' || next === ':');
  return { href: url.href, host: url.host, textShowsHost };
}
