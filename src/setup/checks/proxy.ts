import type { HttpResponse, HttpTransport } from '../../http';
import type { Check } from './types';

/**
 * Checks that go through Grafana's app proxy (`/api/plugin-proxy/<app>/<route>/...`): `proxied` maps each
 * request-URL prefix to the upstream URL it stands for. Results then show the upstream, and Grafana's bodiless
 * 502 (it could not connect) and 504 (no answer in time) are named as such.
 */
export type ProxyMap = Record<string, string>;

/** Thrown by proxiedTransport for Grafana's bodiless 502/504; probe classifies it. */
export class ProxyFailure extends Error {
  constructor(
    readonly kind: 'proxy-connect' | 'proxy-timeout',
    readonly upstream: string
  ) {
    super(
      kind === 'proxy-connect'
        ? `Grafana's server could not connect to ${upstream} (HTTP 502 with no body)`
        : `Grafana's server got no answer in time from ${upstream} (HTTP 504 with no body)`
    );
    this.name = 'ProxyFailure';
  }
}

function prefixOf(url: string, proxied: ProxyMap): string | undefined {
  return Object.keys(proxied)
    .sort((a, b) => b.length - a.length)
    .find(
      (prefix) => url === prefix || url.startsWith(`${prefix.replace(/\/+$/, '')}/`) || url.startsWith(`${prefix}?`)
    );
}

/** The URL a proxied request stands for: its prefix replaced by the upstream; the URL itself when not proxied. */
export function upstreamUrl(url: string, proxied: ProxyMap): string {
  const prefix = prefixOf(url, proxied);
  if (prefix === undefined) {
    return url;
  }
  const rest = url.slice(prefix.length);
  const upstream = proxied[prefix].replace(/\/+$/, '');
  return rest.startsWith('/') || rest.startsWith('?') || rest === '' ? `${upstream}${rest}` : `${upstream}/${rest}`;
}

/** Grafana's answers when the upstream failed have no body: read a little of a 502/504 to tell. */
const PEEK_BYTES = 64 * 1024;

/**
 * A transport for proxied checks: a 502 or 504 with an empty body from a proxied route is Grafana's own
 * (the upstream's reason is only in Grafana's log) and becomes a ProxyFailure naming the upstream.
 */
export function proxiedTransport(transport: HttpTransport, proxied: ProxyMap): HttpTransport {
  return async (url, request) => {
    const response = await transport(url, request);
    if ((response.status !== 502 && response.status !== 504) || prefixOf(url, proxied) === undefined) {
      return response;
    }
    const body = response.head ? await response.head(PEEK_BYTES) : (await response.text()).slice(0, PEEK_BYTES);
    if (body.trim() === '') {
      throw new ProxyFailure(
        response.status === 502 ? 'proxy-connect' : 'proxy-timeout',
        upstreamUrl(url, proxied).split('?')[0]
      );
    }
    const replay: HttpResponse = {
      status: response.status,
      headers: response.headers,
      text: async () => body,
      head: async (bytes: number) => body.slice(0, bytes),
    };
    return replay;
  };
}

/** A check's result as the user should read it: the upstream URLs in its request and words, `via: 'grafana'`. */
export function shownThroughProxy<T extends Check>(check: T, proxied: ProxyMap): T {
  if (prefixOf(check.request.url, proxied) === undefined) {
    return check;
  }
  const map = (text: string) =>
    Object.keys(proxied)
      .sort((a, b) => b.length - a.length)
      .reduce((out, prefix) => out.split(prefix).join(proxied[prefix].replace(/\/+$/, '')), text);
  return {
    ...check,
    request: { ...check.request, url: upstreamUrl(check.request.url, proxied), via: 'grafana' },
    message: map(check.message),
    ...(check.hint ? { hint: map(check.hint) } : {}),
  };
}
