/**
 * Links built from trace data. Attribute values are attacker-controlled text (any service can put
 * anything in a span), so a value becomes a link only when it parses as an absolute http(s) URL:
 * `javascript:`, `data:` and relative URLs stay plain text.
 */
export function safeHttpUrl(value: string): string | null {
  const text = value.trim();
  if (!/^https?:\/\//i.test(text)) {
    return null;
  }
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
