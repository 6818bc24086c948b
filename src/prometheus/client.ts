import {
  HttpError,
  HttpErrorCode,
  HttpResponse,
  HttpTransport,
  MAX_ERROR_DETAIL,
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

/** One series of an instant vector: its labels and its value at the query time (NaN and ±Inf kept). */
export interface Sample {
  metric: Record<string, string>;
  timeSec: number;
  value: number;
}

export interface PrometheusClientOptions {
  /** Sent on every request (`Authorization`, `X-Scope-OrgID` for Mimir); in Grafana the data source adds its own. */
  headers?: Record<string, string>;
}

const SERVICE = 'Prometheus';

/**
 * Longer GET URLs are sent as a form POST: Prometheus takes both on /api/v1/query (and Grafana's proxy forwards
 * a POST), while Go's default header limit, nginx's 8 kB buffers and other proxies refuse long request lines.
 */
export const MAX_GET_URL = 8000;

/**
 * Prometheus's HTTP API (`/api/v1/query`) over an injected transport; baseUrl is Prometheus (or Mimir's
 * `/prometheus` prefix) or a proxy path to it.
 */
export class PrometheusClient {
  private readonly headers: Record<string, string>;

  constructor(
    private readonly baseUrl: string,
    private readonly transport: HttpTransport,
    options: PrometheusClientOptions = {}
  ) {
    this.headers = { ...options.headers, Accept: 'application/json' };
  }

  /**
   * An instant query at `timeSec` (epoch seconds): `GET /api/v1/query?query=&time=`, or the same as a form POST
   * when the URL would be longer than `MAX_GET_URL` (a focus on many services makes long matchers, and proxies
   * refuse long URLs). Returns the samples of a vector; a scalar or string answer is a `bad-response` (the
   * service graph's queries all give vectors). Prometheus's own errors (`{"status":"error","error":...}` with
   * 400, 422 or 503) keep its words.
   */
  async query(promql: string, timeSec: number, signal?: AbortSignal): Promise<Sample[]> {
    const params = { query: promql, time: timeSec };
    const getUrl = joinUrl(this.baseUrl, 'api/v1/query', params);
    const post = getUrl.length > MAX_GET_URL;
    // messages name the endpoint, not a URL of many kilobytes
    const url = post ? joinUrl(this.baseUrl, 'api/v1/query') : getUrl;
    const response = await send(
      this.transport,
      url,
      post
        ? {
            method: 'POST',
            headers: { ...this.headers, 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ query: promql, time: String(timeSec) }).toString(),
            signal,
            subject: 'the query answer',
          }
        : { method: 'GET', headers: this.headers, signal, subject: 'the query answer' },
      SERVICE
    );
    if (response.status < 200 || response.status >= 300) {
      throw await this.statusError(response, url);
    }
    const body = parseJsonBody(await readText(response, url, signal), url, SERVICE, response.status);
    return readVector(body, url, response.status);
  }

  /**
   * Prometheus answers a failed query with JSON saying why (`bad_data` 400, `execution` 422, `timeout` or
   * `unavailable` 503): those words are the message. Anything else (a proxy's page) is statusError's.
   */
  private async statusError(response: HttpResponse, url: string): Promise<HttpError> {
    const head = await readHead(response);
    const failure = looksLikeHtml(head) ? undefined : prometheusFailure(head);
    if (!failure) {
      return statusError(
        { status: response.status, headers: response.headers, head: async () => head, text: async () => head },
        url,
        SERVICE
      );
    }
    const { status } = response;
    const words = `${SERVICE} could not run the query (${failure.errorType}): ${failure.error}`;
    const code =
      status === 400 || status === 422
        ? 'bad-request'
        : status === 401 || status === 403
          ? 'unauthorized'
          : 'unavailable';
    return new PrometheusQueryError(code, words, failure.errorType, status, url);
  }
}

/**
 * A query Prometheus itself refused or could not finish, with its `errorType` (`bad_data`, `execution`,
 * `timeout`, `canceled`, `internal`, `unavailable`, ...): a `timeout` (HTTP 503) is a query too slow for
 * Prometheus's `--query.timeout`, not an unreachable server.
 */
export class PrometheusQueryError extends HttpError {
  constructor(
    code: HttpErrorCode,
    message: string,
    readonly errorType: string,
    status?: number,
    url?: string
  ) {
    super(code, message, status, url);
    this.name = 'PrometheusQueryError';
  }
}

function prometheusFailure(text: string): { errorType: string; error: string } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(body) || body.status !== 'error' || typeof body.error !== 'string') {
    return undefined;
  }
  const errorType = typeof body.errorType === 'string' ? serverWords(body.errorType, 40) : 'error';
  return { errorType, error: serverWords(body.error, MAX_ERROR_DETAIL) };
}

/** Prometheus writes sample values as strings: "1.5", "NaN", "+Inf", "-Inf". */
function sampleValue(v: unknown): number | undefined {
  if (typeof v !== 'string') {
    return undefined;
  }
  if (v === '+Inf') {
    return Infinity;
  }
  if (v === '-Inf') {
    return -Infinity;
  }
  if (v === 'NaN') {
    return NaN;
  }
  const n = Number(v);
  return v.trim() !== '' && !Number.isNaN(n) ? n : undefined;
}

function readVector(body: unknown, url: string, status: number): Sample[] {
  const bad = (what: string) =>
    new HttpError(
      'bad-response',
      `${url} answered with JSON that is not a Prometheus query answer: ${what}. Is the URL pointing at Prometheus?`,
      status,
      url
    );
  if (!isObject(body) || typeof body.status !== 'string') {
    throw bad('expected {"status": "success", "data": {...}}');
  }
  if (body.status === 'error') {
    const failure = prometheusFailure(JSON.stringify(body));
    throw new PrometheusQueryError(
      'bad-request',
      `${SERVICE} could not run the query (${failure?.errorType ?? 'error'}): ${failure?.error ?? 'no reason given'}`,
      failure?.errorType ?? 'error',
      status,
      url
    );
  }
  const data = body.data;
  if (body.status !== 'success' || !isObject(data)) {
    throw bad('expected {"status": "success", "data": {...}}');
  }
  if (data.resultType !== 'vector') {
    throw bad(`expected an instant vector, got resultType ${JSON.stringify(String(data.resultType).slice(0, 20))}`);
  }
  if (!Array.isArray(data.result)) {
    throw bad('data.result is not an array');
  }
  return data.result.map((r: unknown, i: number) => {
    if (!isObject(r) || !isObject(r.metric) || !Array.isArray(r.value) || r.value.length !== 2) {
      throw bad(`result ${i} is not {"metric": {...}, "value": [time, "value"]}`);
    }
    const timeSec = r.value[0];
    const value = sampleValue(r.value[1]);
    if (typeof timeSec !== 'number' || value === undefined) {
      throw bad(`result ${i} has a value that is not [time, "number"]`);
    }
    const metric: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.metric)) {
      if (typeof v !== 'string') {
        throw bad(`result ${i} has a label ${JSON.stringify(k.slice(0, 40))} that is not a string`);
      }
      metric[k] = v;
    }
    return { metric, timeSec, value };
  });
}
