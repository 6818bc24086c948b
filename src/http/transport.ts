/**
 * The one thing every client (Tempo, Prometheus, the Collector, Grafana's API) needs from the outside
 * world: a fetch-like function.
 * The app passes one that goes through Grafana's data source proxy, the CLI passes Node's fetch, and
 * tests pass fetch against an in-process server that replays recorded responses.
 */
export interface HttpRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Called with the bytes of the body received so far, as they arrive (where the transport can tell). */
  onProgress?: (bytes: number) => void;
}

export interface HttpResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type HttpTransport = (url: string, request: HttpRequest) => Promise<HttpResponse>;

/**
 * A transport over a WHATWG fetch (browser or Node 18+). `init` adds to every request, e.g. the
 * credentials and org header Grafana's proxy wants.
 */
export function fetchTransport(fetchImpl: typeof fetch = fetch, init: RequestInit = {}): HttpTransport {
  return async (url, request) => {
    const response = await fetchImpl(url, {
      ...init,
      method: request.method ?? 'GET',
      headers: { ...(init.headers as Record<string, string> | undefined), ...request.headers },
      body: request.body,
      signal: request.signal,
    });
    const { onProgress } = request;
    if (!onProgress || !response.body) {
      return response;
    }
    return { status: response.status, headers: response.headers, text: () => readCounting(response, onProgress) };
  };
}

/** Reads a body to text while reporting the bytes received: a 70 MB trace takes a while to arrive. */
async function readCounting(response: Response, onProgress: (bytes: number) => void): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    bytes += value.byteLength;
    parts.push(decoder.decode(value, { stream: true }));
    onProgress(bytes);
  }
  parts.push(decoder.decode());
  return parts.join('');
}
