/**
 * The one thing the Tempo and Prometheus clients need from the outside world: a fetch-like function.
 * The app passes one that goes through Grafana's data source proxy, the CLI passes Node's fetch, and
 * tests pass fetch against an in-process server that replays recorded responses.
 */
export interface HttpRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type HttpTransport = (url: string, request: HttpRequest) => Promise<HttpResponse>;

/** A transport over a WHATWG fetch (browser or Node 18+), against a base URL. */
export function fetchTransport(fetchImpl: typeof fetch = fetch): HttpTransport {
  return (url, request) =>
    fetchImpl(url, {
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request.body,
      signal: request.signal,
    });
}

/** Joins a base URL (which may carry a path prefix, like a Grafana proxy path) and an API path. */
export function joinUrl(base: string, path: string, query?: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') {
      params.set(key, String(value));
    }
  }
  const qs = params.toString();
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}${qs ? `?${qs}` : ''}`;
}
