import {
  HttpError,
  HttpResponse,
  HttpTransport,
  discardBody,
  errorDetail,
  isJsonResponse,
  joinUrl,
  looksLikeHtml,
  parseJsonBody,
  readHead,
  readText,
  send,
  serverWords,
  statusError,
} from '../http';
import { Trace, parseTrace } from '../trace';

export interface TraceRequest {
  /** Canonical trace ID (see normalizeTraceId). */
  traceId: string;
  /** Optional time range in epoch seconds: lets Tempo skip blocks outside it. */
  start?: number;
  end?: number;
  signal?: AbortSignal;
  /** Bytes of the answer received so far. */
  onProgress?: (bytes: number) => void;
  /**
   * Called once the whole body is in hand, before it is parsed: parsing a large trace holds the thread,
   * so a UI awaits this to say "reading" first.
   */
  onReceived?: (bytes: number) => void | Promise<void>;
}

export type Endpoint = 'v2' | 'v1';

export type TraceLookup =
  { found: true; trace: Trace; endpoint: Endpoint; bytes: number } | { found: false; endpoint: Endpoint };

const SERVICE = 'Tempo';

/** Tempo's HTTP API over an injected transport; baseUrl is Tempo itself or a proxy path to it. */
export class TempoClient {
  constructor(
    private readonly baseUrl: string,
    private readonly transport: HttpTransport
  ) {}

  /**
   * Fetches one trace by ID from /api/v2/traces, falling back to /api/traces when the v2 endpoint
   * does not exist (Tempo before 2.5 answers it with Go's plain-text 404). Not found is a result, not
   * an error: Tempo says it with 200 and an empty trace (v2) or 404 (v1). The body is read once and
   * parsed once, into the trace model.
   */
  async getTrace(request: TraceRequest): Promise<TraceLookup> {
    const query = { start: request.start, end: request.end };
    const v2 = await this.get(`api/v2/traces/${request.traceId}`, query, request);
    if (v2.response.status === 404) {
      const said = await readHead(v2.response, 512);
      if (isGoNotFound(v2.response, said)) {
        return this.getTraceV1(request);
      }
      throw wrongUrl404(v2.response, said, v2.url);
    }
    const text = await readText(v2.response, v2.url, request.signal);
    const body = parseJsonBody(text, v2.url, SERVICE, v2.response.status);
    if (!isObject(body) || !('trace' in body)) {
      throw notATrace(body, v2.url, '{"trace": {...}}');
    }
    const trace = body.trace;
    if (!isObject(trace) || !Array.isArray(trace.resourceSpans) || trace.resourceSpans.length === 0) {
      return { found: false, endpoint: 'v2' };
    }
    return this.build(body, 'v2', text.length, request);
  }

  private async getTraceV1(request: TraceRequest): Promise<TraceLookup> {
    const { response, url } = await this.get(
      `api/traces/${request.traceId}`,
      { start: request.start, end: request.end },
      request
    );
    if (response.status === 404) {
      // Tempo's own v1 "not found" has an empty body; Go's "404 page not found" here means neither endpoint
      // exists, and an HTML page or JSON is another server's: a wrong URL, said as such.
      const said = await readHead(response, 512);
      if (said.trim() === '') {
        return { found: false, endpoint: 'v1' };
      }
      if (isGoNotFound(response, said)) {
        throw new HttpError(
          'not-found',
          `Neither ${url.replace('/api/traces/', '/api/v2/traces/')} nor ${url} exists (HTTP 404, "404 page not found"): ` +
            "the URL does not point at Tempo's HTTP API. Check the URL.",
          404,
          url
        );
      }
      throw wrongUrl404(response, said, url);
    }
    const text = await readText(response, url, request.signal);
    const body = parseJsonBody(text, url, SERVICE, response.status);
    if (!isObject(body) || !('batches' in body)) {
      throw notATrace(body, url, '{"batches": [...]}');
    }
    if (!Array.isArray(body.batches) || body.batches.length === 0) {
      return { found: false, endpoint: 'v1' };
    }
    return this.build(body, 'v1', text.length, request);
  }

  private async build(body: unknown, endpoint: Endpoint, bytes: number, request: TraceRequest): Promise<TraceLookup> {
    await request.onReceived?.(bytes);
    if (request.signal?.aborted) {
      throw new HttpError('aborted', 'The request was cancelled.');
    }
    return { found: true, trace: parseTrace(body, { traceId: request.traceId }), endpoint, bytes };
  }

  /** Sends a GET; every status other than 2xx and 404 becomes an HttpError. */
  private async get(
    path: string,
    query: Record<string, number | undefined>,
    { signal, onProgress }: Pick<TraceRequest, 'signal' | 'onProgress'>
  ): Promise<{ response: HttpResponse; url: string }> {
    const url = joinUrl(this.baseUrl, path, query);
    const response = await send(
      this.transport,
      url,
      { method: 'GET', headers: { Accept: 'application/json' }, signal, onProgress, subject: 'the trace' },
      SERVICE
    );
    const { status } = response;
    if (status === 404 || (status >= 200 && status < 300)) {
      return { response, url };
    }
    if (status === 422) {
      throw new HttpError(
        'too-large',
        `The trace is larger than Tempo will return (HTTP 422)${errorDetail(await readHead(response))}. ` +
          "Tempo's max_bytes_per_trace limits it.",
        422,
        url
      );
    }
    throw await statusError(response, url, SERVICE);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go's http.NotFound: what Tempo (and any Go mux) answers for a path it has no handler for. */
function isGoNotFound(response: HttpResponse, text: string): boolean {
  const type = response.headers.get('content-type') ?? '';
  return (type === '' || type.startsWith('text/plain')) && text.trim() === '404 page not found';
}

/**
 * A 404 that is not Tempo's: a JSON one (Grafana's proxy says so for a data source it does not know), an
 * HTML page (a web server or a UI at that URL), or anything else. The URL is wrong; say which.
 */
function wrongUrl404(response: HttpResponse, text: string, url: string): HttpError {
  discardBody(response);
  let said = '';
  if (isJsonResponse(response)) {
    try {
      const body = JSON.parse(text) as { message?: unknown };
      said = typeof body?.message === 'string' ? `: "${serverWords(body.message, 200)}"` : '';
    } catch {
      // cut short, or not JSON after all: the status alone says enough
    }
  } else if (looksLikeHtml(text)) {
    said = ' with an HTML page';
  } else {
    said = errorDetail(text);
  }
  return new HttpError(
    'not-found',
    `${url} answered 404${said}. Tempo does not answer a trace lookup like this: the URL does not point at ` +
      "Tempo's HTTP API. Check the data source and its URL.",
    404,
    url
  );
}

function notATrace(body: unknown, url: string, expected: string): HttpError {
  const shape = isObject(body)
    ? `an object with keys ${
        Object.keys(body)
          .slice(0, 6)
          .map((k) => JSON.stringify(k))
          .join(', ') || '(none)'
      }`
    : Array.isArray(body)
      ? 'an array'
      : body === null
        ? 'null'
        : `a ${typeof body}`;
  return new HttpError(
    'bad-response',
    `${url} answered with JSON that is not a Tempo trace (expected ${expected}, got ${shape}). ` +
      'Is the data source pointing at Tempo?',
    200,
    url
  );
}
