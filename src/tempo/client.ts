import { TempoError } from './errors';
import { HttpResponse, HttpTransport, joinUrl } from './http';

export interface TraceRequest {
  /** Canonical trace ID (see normalizeTraceId). */
  traceId: string;
  /** Optional time range in epoch seconds: lets Tempo skip blocks outside it. */
  start?: number;
  end?: number;
  signal?: AbortSignal;
  /** Bytes of the answer received so far. */
  onProgress?: (bytes: number) => void;
}

export type TraceLookup =
  { found: true; body: unknown; endpoint: 'v2' | 'v1'; bytes: number } | { found: false; endpoint: 'v2' | 'v1' };

const MAX_MESSAGE = 300;

/** Tempo's HTTP API over an injected transport; baseUrl is Tempo itself or a proxy path to it. */
export class TempoClient {
  constructor(
    private readonly baseUrl: string,
    private readonly transport: HttpTransport
  ) {}

  /**
   * Fetches one trace by ID from /api/v2/traces, falling back to /api/traces when the v2 endpoint
   * does not exist (Tempo before 2.5 answers it with 404 and a non-JSON body).
   * Not found is a result, not an error: Tempo says it with 404 (v1) or 200 and an empty trace (v2).
   */
  async getTrace(request: TraceRequest): Promise<TraceLookup> {
    const query = { start: request.start, end: request.end };
    const v2 = await this.call(`api/v2/traces/${request.traceId}`, query, request);
    if (v2.response.status === 404 && !isJson(v2.response)) {
      return this.getTraceV1(request);
    }
    if (v2.response.status === 404) {
      return { found: false, endpoint: 'v2' };
    }
    const body = await this.json(v2.response, v2.url);
    const trace = (body as { trace?: { resourceSpans?: unknown[] } } | null)?.trace;
    if (!trace || !Array.isArray(trace.resourceSpans) || trace.resourceSpans.length === 0) {
      return { found: false, endpoint: 'v2' };
    }
    return { found: true, body, endpoint: 'v2', bytes: v2.bytes };
  }

  private async getTraceV1(request: TraceRequest): Promise<TraceLookup> {
    const { response, url, bytes } = await this.call(
      `api/traces/${request.traceId}`,
      { start: request.start, end: request.end },
      request
    );
    if (response.status === 404) {
      return { found: false, endpoint: 'v1' };
    }
    const body = await this.json(response, url);
    const batches = (body as { batches?: unknown[] } | null)?.batches;
    if (!Array.isArray(batches) || batches.length === 0) {
      return { found: false, endpoint: 'v1' };
    }
    return { found: true, body, endpoint: 'v1', bytes };
  }

  /** Sends a GET and turns every failure except 404 into a TempoError. */
  private async call(
    path: string,
    query: Record<string, number | undefined>,
    { signal, onProgress }: Pick<TraceRequest, 'signal' | 'onProgress'>
  ) {
    const url = joinUrl(this.baseUrl, path, query);
    let response: HttpResponse;
    try {
      response = await this.transport(url, {
        method: 'GET',
        headers: { Accept: 'application/json' },
        signal,
        onProgress,
      });
    } catch (e) {
      if (signal?.aborted || (e as Error)?.name === 'AbortError') {
        throw new TempoError('aborted', 'The request was cancelled.', undefined, url);
      }
      throw new TempoError('network', `Could not reach Tempo at ${url}: ${(e as Error)?.message ?? e}`, undefined, url);
    }
    if (response.status === 404 || (response.status >= 200 && response.status < 300)) {
      let text: string;
      try {
        text = await response.text();
      } catch (e) {
        // The connection can drop, or the user leave, while a large body is still arriving.
        if (signal?.aborted || (e as Error)?.name === 'AbortError') {
          throw new TempoError('aborted', 'The request was cancelled.', undefined, url);
        }
        throw new TempoError(
          'network',
          `The answer from ${url} broke off: ${(e as Error)?.message ?? e}`,
          undefined,
          url
        );
      }
      const wrapped: HttpResponse = { status: response.status, headers: response.headers, text: async () => text };
      return { response: wrapped, url, bytes: text.length };
    }
    const detail = (await response.text().catch(() => '')).trim().slice(0, MAX_MESSAGE);
    const said = detail ? `: ${detail}` : '';
    switch (true) {
      case response.status === 400:
        throw new TempoError('bad-request', `Tempo refused the request${said}`, 400, url);
      case response.status === 401 || response.status === 403:
        throw new TempoError(
          'unauthorized',
          `Tempo or its proxy refused access (HTTP ${response.status})${said}. Check the data source's authentication.`,
          response.status,
          url
        );
      case response.status === 422:
        throw new TempoError(
          'too-large',
          `The trace is larger than Tempo will return (HTTP 422)${said}. Tempo's max_bytes_per_trace limits it.`,
          422,
          url
        );
      default:
        throw new TempoError('unavailable', `Tempo answered HTTP ${response.status}${said}`, response.status, url);
    }
  }

  private async json(response: HttpResponse, url: string): Promise<unknown> {
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new TempoError(
        'bad-response',
        `Expected JSON from ${url}, got ${text.length === 0 ? 'an empty body' : `"${text.slice(0, 80)}"`}. ` +
          'Is the URL pointing at Tempo?',
        response.status,
        url
      );
    }
  }
}

function isJson(response: HttpResponse): boolean {
  return (response.headers.get('content-type') ?? '').includes('json');
}
