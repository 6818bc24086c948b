import { isObject, joinUrl, type HttpTransport } from '../../http';
import { COLLECTOR_DOCS, otlpTracesUrl, receiverAnswer, unreachableHint, withoutContentType } from './collector';
import { checkResult, errorText, probe, words, type ProbeResult } from './probe';
import { CANARY_SERVICE, TEMPO_DOCS, tempoTenantOf, withoutTenantHeader } from './tempo';
import type { Check, CheckOptions } from './types';

/** How long the canary waits for its span in Tempo: a Collector's batch processor waits up to 5 s by default. */
export const DEFAULT_CANARY_TIMEOUT_MS = 30_000;
export const DEFAULT_CANARY_POLL_MS = 500;
export { CANARY_SERVICE } from './tempo';

export interface CanaryOptions extends Omit<CheckOptions, 'headers'> {
  /** Sent as `X-Scope-OrgID` to the Collector and to Tempo. */
  tenant?: string;
  collectorHeaders?: Record<string, string>;
  tempoHeaders?: Record<string, string>;
  /** The whole canary: the span sent, then polled for (default 30 s). */
  timeoutMs?: number;
  pollIntervalMs?: number;
  /** Ask `/api/traces/<id>` (Tempo before 2.5) instead of `/api/v2/traces/<id>`. */
  v1?: boolean;
}

export interface CanaryCheck extends Check {
  traceId: string;
  /** From sending the span to Tempo answering it, on pass. */
  latencyMs?: number;
}

function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes);
  if (globalThis.crypto?.getRandomValues) {
    globalThis.crypto.getRandomValues(buf);
  } else {
    // A test DOM without Web Crypto: the ID must be fresh, not secret.
    buf.forEach((_, i) => (buf[i] = Math.floor(Math.random() * 256)));
  }
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** One span of OTLP/JSON (hex IDs, as the OTLP/HTTP JSON encoding wants them). */
export function canarySpan(traceId: string, spanId: string, nowMs = Date.now()): string {
  const nanos = (ms: number) => `${ms}000000`;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: CANARY_SERVICE } }] },
        scopeSpans: [
          {
            scope: { name: 'traceway' },
            spans: [
              {
                traceId,
                spanId,
                name: 'traceway canary',
                kind: 1,
                startTimeUnixNano: nanos(nowMs),
                endTimeUnixNano: nanos(nowMs + 1),
                status: {},
              },
            ],
          },
        ],
      },
    ],
  });
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

/** Waits `ms`, or less when the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Whether Tempo's trace-by-ID answer holds spans (not found is 404, or 200 `{"trace":{}}` in Tempo 2.7.2). */
function holdsSpans(body: string, v1: boolean): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  if (!isObject(parsed)) {
    return false;
  }
  const list = v1 ? parsed.batches : isObject(parsed.trace) ? parsed.trace.resourceSpans : undefined;
  return Array.isArray(list) && list.length > 0;
}

/**
 * The canary: one span with a fresh trace ID through the Collector (OTLP/HTTP JSON), then Tempo's trace-by-ID
 * polled until it holds it (not search: recent data can be missing from search). Passes with the end-to-end
 * latency; fails saying where the span was lost: refused by the receiver, accepted but never in Tempo (the
 * Collector's exporter), Tempo requiring a tenant, or the polls failing.
 */
export async function canary(
  transport: HttpTransport,
  otlpHttpUrl: string,
  tempoUrl: string,
  options: CanaryOptions = {}
): Promise<CanaryCheck> {
  const traceId = randomHex(16);
  const timeoutMs = options.timeoutMs ?? DEFAULT_CANARY_TIMEOUT_MS;
  const pollMs = options.pollIntervalMs ?? DEFAULT_CANARY_POLL_MS;
  const tenant = tempoTenantOf({ tenant: options.tenant, headers: options.tempoHeaders });
  // The tenant is sent once, as X-Scope-OrgID: a copy among the headers in another letter case would be joined to it.
  const tenantHeader: Record<string, string> = tenant ? { 'X-Scope-OrgID': tenant } : {};
  const strip = (headers: Record<string, string> | undefined) =>
    tenant ? withoutTenantHeader(headers) : { ...headers };
  options = {
    ...options,
    tempoHeaders: strip(options.tempoHeaders),
    collectorHeaders: strip(options.collectorHeaders),
  };
  const started = Date.now();
  const deadline = started + timeoutMs;
  const post = {
    id: 'canary',
    title: 'Canary span',
    method: 'POST' as const,
    url: otlpTracesUrl(otlpHttpUrl),
    started,
  };
  const remaining = () => Math.max(1, deadline - Date.now());
  const sent = await probe(transport, 'POST', post.url, {
    signal: options.signal,
    timeoutMs: remaining(),
    headers: {
      ...withoutContentType(options.collectorHeaders),
      ...tenantHeader,
      'Content-Type': 'application/json',
    },
    body: canarySpan(traceId, randomHex(8)),
  });
  if (!sent.ok && sent.kind === 'aborted') {
    return { ...checkResult(post, 'fail', 'The canary was cancelled.'), traceId };
  }
  if (!sent.ok || sent.status !== 200) {
    const refused = receiverAnswer(post, sent);
    return { ...refused, message: `The Collector did not take the canary span. ${refused.message}`, traceId };
  }
  const rejected = rejectedSpans(sent.body);
  if (rejected) {
    return {
      ...checkResult(
        post,
        'fail',
        `The receiver answered 200 but rejected the canary span${rejected}.`,
        "The receiver or a processor refused the span: read the Collector's log.",
        COLLECTOR_DOCS.otlpReceiver
      ),
      traceId,
    };
  }
  const accepted = Date.now();
  const poll = {
    id: 'canary',
    title: 'Canary span',
    method: 'GET' as const,
    url: joinUrl(tempoUrl.trim(), options.v1 ? `api/traces/${traceId}` : `api/v2/traces/${traceId}`),
    started,
  };
  let polls = 0;
  let lastError: ProbeResult | undefined;
  let failedPolls = 0;
  for (;;) {
    polls += 1;
    const answer = await probe(transport, 'GET', poll.url, {
      signal: options.signal,
      // the last poll, at the deadline, still gets a moment to answer
      timeoutMs: Math.max(remaining(), Math.min(pollMs, 1000)),
      headers: { ...options.tempoHeaders, ...tenantHeader },
    });
    if (options.signal?.aborted) {
      return { ...checkResult(poll, 'fail', 'The canary was cancelled.'), traceId };
    }
    if (answer.ok && answer.status === 200 && holdsSpans(answer.body, options.v1 === true)) {
      const latencyMs = Date.now() - started;
      return {
        ...checkResult(
          poll,
          'pass',
          `The canary span (trace ${traceId}) reached Tempo in ${seconds(latencyMs)} end to end ` +
            `(the Collector took it in ${seconds(accepted - started)}; ${polls} poll${polls === 1 ? '' : 's'}).`
        ),
        traceId,
        latencyMs,
      };
    }
    const said = answer.ok ? errorText(answer.body) : '';
    if (answer.ok && answer.status === 401 && /no org id/i.test(said)) {
      return {
        ...checkResult(
          poll,
          'fail',
          tenant
            ? `Tempo answered 401 "no org id" although the tenant "${tenant.slice(0, 150)}" was sent: a proxy drops X-Scope-OrgID.`
            : 'The Collector took the canary span, but Tempo requires a tenant to read it (HTTP 401 "no org id").',
          tenant
            ? 'Let the X-Scope-OrgID header through the proxy in front of Tempo.'
            : "Set the tenant (sent as X-Scope-OrgID); the Collector's exporter must send the same one.",
          TEMPO_DOCS.multitenancy
        ),
        traceId,
      };
    }
    if (answer.ok && (answer.status === 401 || answer.status === 403 || answer.status === 400)) {
      return {
        ...checkResult(
          poll,
          'fail',
          `The Collector took the canary span, but Tempo refused the lookup (HTTP ${answer.status}${words(said)}).`,
          answer.status === 400
            ? "Point the Tempo URL at Tempo's HTTP API."
            : 'Check the authentication the proxy in front of Tempo expects.',
          TEMPO_DOCS.api
        ),
        traceId,
      };
    }
    // Only Tempo's own "not (yet) found" is not yet: a 404, or 200 with its empty trace ({"trace":{}} from v2,
    // {"batches":[]} from v1). Any other 200 (a login page, Grafana, a gateway) is a failed lookup.
    const notYet =
      answer.ok &&
      (answer.status === 404 || (answer.status === 200 && tempoTraceShape(answer.body, options.v1 === true)));
    if (!notYet) {
      lastError = answer;
      failedPolls += 1;
    }
    if (Date.now() >= deadline) {
      break;
    }
    await sleep(Math.min(pollMs, deadline - Date.now()), options.signal);
    if (options.signal?.aborted) {
      return { ...checkResult(poll, 'fail', 'The canary was cancelled.'), traceId };
    }
  }
  if (lastError && failedPolls === polls) {
    const why = lastError.ok ? `HTTP ${lastError.status}${words(errorText(lastError.body))}` : lastError.detail;
    return {
      ...checkResult(
        poll,
        'fail',
        `The Collector took the canary span, but every lookup in Tempo failed (${why}).`,
        lastError.ok
          ? lastError.status === 200
            ? "The Tempo URL answered, but not as Tempo's trace-by-ID: point it at Tempo's HTTP API (e.g. http://tempo:3200)."
            : "Read Tempo's log."
          : unreachableHint(lastError.kind, "Tempo's HTTP API (port 3200)", false),
        TEMPO_DOCS.api
      ),
      traceId,
    };
  }
  const errors = failedPolls
    ? ` ${failedPolls} of ${polls} lookups failed (last: ${
        lastError?.ok ? `HTTP ${lastError.status}` : (lastError?.detail ?? 'no answer')
      }).`
    : '';
  return {
    ...checkResult(
      poll,
      'fail',
      `The Collector accepted the canary span (trace ${traceId}), but it was not in Tempo after ${seconds(timeoutMs)}.${errors}`,
      "The span was lost after the Collector's receiver: check the exporter of its traces pipeline (its endpoint " +
        "reaches Tempo's receiver, e.g. tempo:4317 for otlp or http://tempo:4318 for otlphttp; the exporter is in the " +
        `pipeline), the tenant it sends (X-Scope-OrgID${tenant ? ` must be "${tenant.slice(0, 150)}"` : ''}: another tenant's traces are invisible here), ` +
        'and the Collector\'s log ("Exporting failed").',
      COLLECTOR_DOCS.otlpReceiver
    ),
    traceId,
  };
}

/** Tempo's trace-by-ID JSON, spans or not: a `trace` object (v2) or a `batches` array (v1). */
function tempoTraceShape(body: string, v1: boolean): boolean {
  try {
    const parsed: unknown = JSON.parse(body);
    return isObject(parsed) && (v1 ? Array.isArray(parsed.batches) : isObject(parsed.trace));
  } catch {
    return false;
  }
}

/** `partialSuccess.rejectedSpans` > 0: ", 1 span rejected: <its errorMessage>", else ''. */
function rejectedSpans(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return '';
  }
  const partial = isObject(parsed) && isObject(parsed.partialSuccess) ? parsed.partialSuccess : undefined;
  const count = Number(partial?.rejectedSpans ?? 0);
  if (!partial || !(count > 0)) {
    return '';
  }
  return `: ${count} span${count === 1 ? '' : 's'} rejected${typeof partial.errorMessage === 'string' ? words(partial.errorMessage) : ''}`;
}
