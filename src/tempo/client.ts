import {
  HttpError,
  HttpResponse,
  HttpTransport,
  MAX_ERROR_DETAIL,
  describeText,
  discardBody,
  errorDetail,
  isJsonResponse,
  isObject,
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
import type { SearchAnswer, SearchRequest } from './search';
import { TagScope, readSearchAnswer, readTagScopes, readTagValues } from './searchAnswer';

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

/**
 * Not found carries the tenant that was asked, when one was: a multi-tenant Tempo answers a trace of
 * another tenant exactly as a missing one (`200 {"trace":{}}`), so a message must name the tenant.
 */
export type TraceLookup =
  | { found: true; trace: Trace; endpoint: Endpoint; bytes: number }
  | { found: false; endpoint: Endpoint; tenant?: string };

export interface TempoClientOptions {
  /**
   * Sent as `X-Scope-OrgID` on every request, for a multi-tenant Tempo. The CLI sets it; in Grafana the
   * data source adds its own headers.
   */
  tenant?: string;
}

export interface TagValuesRequest {
  /** a scoped attribute (`resource.service.name`, `span.http.route`) or an intrinsic (`name`, `status`) */
  tag: string;
  /**
   * Narrows the values to spans that match: exactly one `{ ... }` spanset filter. Tempo answers an invalid
   * `q` with every value, silently, so pass only queries from buildTraceQL.
   */
  query?: string;
  /** epoch seconds */
  start: number;
  end: number;
  limit?: number;
  signal?: AbortSignal;
}

export interface TagsRequest {
  /** span, resource, event, link, instrumentation or intrinsic; all when absent */
  scope?: string;
  start: number;
  end: number;
  signal?: AbortSignal;
}

export interface BuildInfo {
  version: string;
  revision: string;
  branch?: string;
  buildUser?: string;
  buildDate?: string;
  goVersion?: string;
}

const SERVICE = 'Tempo';

/** Tempo's HTTP API over an injected transport; baseUrl is Tempo itself or a proxy path to it. */
export class TempoClient {
  private readonly headers: Record<string, string>;

  constructor(
    private readonly baseUrl: string,
    private readonly transport: HttpTransport,
    options: TempoClientOptions = {}
  ) {
    this.headers = { Accept: 'application/json' };
    const tenant = options.tenant?.trim();
    if (tenant) {
      this.headers['X-Scope-OrgID'] = tenant;
    }
  }

  /** The tenant this client sends, if any. */
  get tenant(): string | undefined {
    return this.headers['X-Scope-OrgID'];
  }

  /**
   * Searches with TraceQL: `/api/search?q=&start=&end=&limit=&spss=`. Start and end are always sent:
   * without them Tempo searches only its recent data. A 400 (a query Tempo cannot parse) is an HttpError
   * `bad-request` whose message is Tempo's own (see traceqlErrorPosition).
   */
  async search(request: SearchRequest): Promise<SearchAnswer> {
    const { body, url } = await this.getJson(
      'api/search',
      { q: request.query, start: request.start, end: request.end, limit: request.limit, spss: request.spss },
      request.signal,
      'the search answer'
    );
    const answer = readSearchAnswer(body);
    if (!answer) {
      throw notExpected(body, url, 'a Tempo search answer', '{"traces": [...]}');
    }
    return { ...answer, url };
  }

  /** The values of one tag (`/api/v2/search/tag/<tag>/values`), sorted and unique. */
  async tagValues(request: TagValuesRequest): Promise<string[]> {
    const { body, url } = await this.getJson(
      `api/v2/search/tag/${encodeURIComponent(request.tag)}/values`,
      { q: request.query, start: request.start, end: request.end, limit: request.limit },
      request.signal,
      'the tag values'
    );
    const values = readTagValues(body);
    if (!values) {
      throw notExpected(body, url, "Tempo's tag values", '{"tagValues": [...]}');
    }
    return values;
  }

  /** The attribute names Tempo has seen, by scope (`/api/v2/search/tags`). */
  async tags(request: TagsRequest): Promise<TagScope[]> {
    const { body, url } = await this.getJson(
      'api/v2/search/tags',
      { scope: request.scope, start: request.start, end: request.end },
      request.signal,
      'the tags'
    );
    const scopes = readTagScopes(body);
    if (!scopes) {
      throw notExpected(body, url, "Tempo's tags", '{"scopes": [...]}');
    }
    return scopes;
  }

  /**
   * `/api/echo`: proves the URL reaches Tempo's HTTP API (it answers "echo"). It answers without a tenant
   * even when Tempo requires one, so it cannot tell whether one is needed.
   */
  async echo(signal?: AbortSignal): Promise<void> {
    const { text, url } = await this.getText('api/echo', signal);
    if (text.trim() !== 'echo') {
      throw new HttpError(
        'bad-response',
        `${url} answered ${describeText(text)}, not Tempo's "echo". Is the URL pointing at Tempo?`,
        200,
        url
      );
    }
  }

  /** `/ready`: whether Tempo is ready to serve (a 503 with its reason when it is not). */
  async ready(signal?: AbortSignal): Promise<{ ready: true } | { ready: false; reason: string }> {
    const url = joinUrl(this.baseUrl, 'ready');
    const response = await this.send(url, signal, 'the answer');
    if (response.status === 503) {
      return { ready: false, reason: serverWords(await readHead(response), 300) || 'HTTP 503' };
    }
    if (response.status < 200 || response.status >= 300) {
      throw await this.statusError(response, url);
    }
    const text = await readText(response, url, signal);
    return text.trim() === 'ready'
      ? { ready: true }
      : { ready: false, reason: serverWords(text, 300) || `an empty answer from ${url}` };
  }

  /** `/api/status/buildinfo`: Tempo's version and revision. */
  async buildInfo(signal?: AbortSignal): Promise<BuildInfo> {
    const { body, url } = await this.getJson('api/status/buildinfo', {}, signal, 'the build information');
    if (!isObject(body) || typeof body.version !== 'string') {
      throw notExpected(body, url, "Tempo's build information", '{"version": ...}');
    }
    const text = (k: string) => (typeof body[k] === 'string' ? { [k]: body[k] as string } : {});
    return {
      version: body.version,
      revision: typeof body.revision === 'string' ? body.revision : '',
      ...text('branch'),
      ...text('buildUser'),
      ...text('buildDate'),
      ...text('goVersion'),
    };
  }

  private send(url: string, signal: AbortSignal | undefined, subject: string, onProgress?: (b: number) => void) {
    return send(this.transport, url, { method: 'GET', headers: this.headers, signal, onProgress, subject }, SERVICE);
  }

  /** GET a JSON answer: anything but 2xx is an HttpError (see statusError), a body that is not JSON too. */
  private async getJson(
    path: string,
    query: Record<string, string | number | undefined>,
    signal: AbortSignal | undefined,
    subject: string
  ): Promise<{ body: unknown; url: string }> {
    const url = joinUrl(this.baseUrl, path, query);
    const response = await this.send(url, signal, subject);
    if (response.status < 200 || response.status >= 300) {
      throw await this.statusError(response, url);
    }
    const text = await readText(response, url, signal);
    return { body: parseJsonBody(text, url, SERVICE, response.status), url };
  }

  private async getText(path: string, signal: AbortSignal | undefined): Promise<{ text: string; url: string }> {
    const url = joinUrl(this.baseUrl, path);
    const response = await this.send(url, signal, 'the answer');
    if (response.status < 200 || response.status >= 300) {
      throw await this.statusError(response, url);
    }
    return { text: await readText(response, url, signal), url };
  }

  /**
   * The error for a status the caller does not handle: Tempo's words for a 400 as they are (a TraceQL
   * parse error carries its position); a tenant required for `401 no org id`; the rest as statusError.
   */
  private async statusError(response: HttpResponse, url: string, ownWords400 = true): Promise<HttpError> {
    const { status } = response;
    if ((status === 400 && !ownWords400) || (status !== 400 && status !== 401)) {
      return statusError(response, url, SERVICE);
    }
    const said = await readHead(response);
    const words = looksLikeHtml(said) ? '' : serverWords(said, MAX_ERROR_DETAIL);
    if (status === 400) {
      return new HttpError('bad-request', words || `${SERVICE} refused the request (HTTP 400)`, status, url);
    }
    if (/^no org id\b/i.test(words)) {
      const tenant = this.tenant;
      return new HttpError(
        'unauthorized',
        tenant
          ? `${SERVICE} answered 401 "no org id" although the tenant ${JSON.stringify(tenant)} was sent as ` +
              'X-Scope-OrgID: a proxy in between may drop the header.'
          : `${SERVICE} requires a tenant (HTTP 401 "no org id"): it runs with multi-tenancy. Send the tenant ` +
              'as the X-Scope-OrgID header (traceway: --tenant).',
        status,
        url
      );
    }
    return new HttpError(
      'unauthorized',
      `${SERVICE} or its proxy refused access (HTTP ${status})${words ? `: ${words}` : ''}. Check the data source's authentication.`,
      status,
      url
    );
  }

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
      return this.notFound('v2');
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
        return this.notFound('v1');
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
      return this.notFound('v1');
    }
    return this.build(body, 'v1', text.length, request);
  }

  private notFound(endpoint: Endpoint): TraceLookup {
    const tenant = this.tenant;
    return tenant ? { found: false, endpoint, tenant } : { found: false, endpoint };
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
    const response = await this.send(url, signal, 'the trace', onProgress);
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
    // A trace lookup's 400 (a bad ID) reads better with who refused it: "Tempo refused the request: ...".
    throw await this.statusError(response, url, false);
  }
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
  return notExpected(body, url, 'a Tempo trace', expected);
}

/** A 200 whose JSON is not what the endpoint answers: described by its shape, never quoted. */
function notExpected(body: unknown, url: string, what: string, expected: string): HttpError {
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
    `${url} answered with JSON that is not ${what} (expected ${expected}, got ${shape}). ` +
      'Is the data source pointing at Tempo?',
    200,
    url
  );
}
