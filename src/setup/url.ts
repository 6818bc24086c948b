/**
 * Why a URL cannot be used: one set of kinds for the form, the checks, `traceway doctor` and the provisioning YAML;
 * each words it for its reader.
 */
export type UrlProblem =
  /** Spaces or other whitespace inside the URL (the caller trims the ends when its reader may type them). */
  | { kind: 'whitespace' }
  /** `tempo:3200`: a host and port without a scheme (WHATWG URLs read "tempo:" as the scheme). */
  | { kind: 'host-port'; suggestion: string }
  /** `http:tempo`, `http:/tempo`: http(s) without `//` (WHATWG URLs would read it as http://tempo/). */
  | { kind: 'no-slashes'; scheme: 'http:' | 'https:'; suggestion: string }
  /** Another scheme: `ftp:`, `javascript:`. */
  | { kind: 'scheme'; scheme: string }
  /** Not parseable as an absolute URL (`tempo`, a port out of range). */
  | { kind: 'not-url' }
  /** A user or password in the URL: it would be shown; credentials go in a header. */
  | { kind: 'credentials' }
  /** A query or fragment on a base URL that paths are added to. */
  | { kind: 'query' };

export interface UrlProblemOptions {
  /** Also accept a path from the root (`/api/plugin-proxy/...`: in Grafana the checks use the app's proxy routes). */
  rootPath?: boolean;
  /** The URL is a request's (it may carry a query), not a base URL that paths are added to. */
  request?: boolean;
}

/** What is wrong with an http(s) URL, or undefined. */
export function urlProblem(url: string, options: UrlProblemOptions = {}): UrlProblem | undefined {
  if (/\s/.test(url)) {
    return { kind: 'whitespace' };
  }
  if (options.rootPath && /^\/(?!\/)/.test(url)) {
    return undefined;
  }
  const scheme = /^(https?):/i.exec(url);
  if (scheme && !/^[a-z]+:\/\/[^/]/i.test(url)) {
    const name = scheme[1].toLowerCase() as 'http' | 'https';
    return { kind: 'no-slashes', scheme: `${name}:`, suggestion: url.replace(/^(https?):\/*/i, `${name}://`) };
  }
  if (!scheme && /^[^:/?#@]+:\d+(?:[/?#]|$)/.test(url)) {
    return { kind: 'host-port', suggestion: `http://${url}` };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'not-url' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { kind: 'scheme', scheme: parsed.protocol.slice(0, 20) };
  }
  if (parsed.username || parsed.password) {
    return { kind: 'credentials' };
  }
  if (!options.request && (parsed.search || parsed.hash || /[?#]/.test(url))) {
    return { kind: 'query' };
  }
  return undefined;
}
