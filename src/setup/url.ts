/** Why a URL cannot be used, once for the checks and the provisioning YAML; each caller words it for its reader. */
export type UrlProblem =
  | { kind: 'not-url' }
  /** Another scheme (`ftp:`), or `http:tempo` (no `//`: WHATWG URLs would read it as http://tempo/). */
  | { kind: 'scheme'; scheme: string; slashes: boolean }
  | { kind: 'credentials' };

/**
 * What is wrong with an http(s) URL, or undefined. `rootPath` also accepts a path from the root
 * (`/api/plugin-proxy/...`: in Grafana the checks go through the app's proxy routes on the page's own origin).
 */
export function urlProblem(url: string, options: { rootPath?: boolean } = {}): UrlProblem | undefined {
  if (options.rootPath && /^\/(?!\/)/.test(url)) {
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'not-url' };
  }
  const slashes = /^[a-z][a-z0-9+.-]*:\/\/[^/]/i.test(url);
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !slashes) {
    return { kind: 'scheme', scheme: parsed.protocol.slice(0, 20), slashes };
  }
  if (parsed.username || parsed.password) {
    return { kind: 'credentials' };
  }
  return undefined;
}
