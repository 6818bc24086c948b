import type { HttpTransport } from '../../http';
import { checkResult, errorText, probe, words, type FailureKind, type ProbeResult } from './probe';
import type { Check, CheckOptions } from './types';

export const COLLECTOR_DOCS = {
  otlpReceiver: 'https://github.com/open-telemetry/opentelemetry-collector/tree/main/receiver/otlpreceiver',
  healthCheck:
    'https://github.com/open-telemetry/opentelemetry-collector-contrib/tree/main/extension/healthcheckextension',
  multitenancy: 'https://grafana.com/docs/tempo/latest/operations/manage-advanced-systems/multitenancy/',
};

/** The hint for a request that got no HTTP answer, by why; `what` names the server ("the OTLP/HTTP receiver"). */
export function unreachableHint(kind: FailureKind, what: string, receiver = true): string | undefined {
  switch (kind) {
    case 'refused':
      return receiver
        ? `Nothing accepts connections there. Check the host and port of ${what}. An endpoint bound to localhost ` +
            "(the OpenTelemetry Collector's default for its receivers and extensions since v0.104, and Tempo's " +
            "receivers' since 2.7) cannot be reached from other containers or hosts: set it to 0.0.0.0:<port>."
        : `Nothing accepts connections there. Check the host and port of ${what}, and that it runs.`;
    case 'dns':
      return `Check the host name of ${what}: use the name Grafana's server resolves (a compose service or Kubernetes service name).`;
    case 'tls':
      return (
        `Use http:// if ${what} serves plain HTTP; for https://, check that it serves TLS on that port and that ` +
        'its certificate is trusted and matches the host name.'
      );
    case 'timeout':
      return `Check that ${what} runs and that no firewall or network policy drops the connection.`;
    case 'reset':
      return `Check the port: it may belong to another protocol (4317 is OTLP/gRPC, 4318 OTLP/HTTP).`;
    case 'redirect':
      return `Point the URL at ${what} itself, not at a page that redirects elsewhere.`;
    case 'proxy-connect':
      return (
        `Grafana's server, not the browser, connects to ${what}: check the URL as Grafana's server reaches it ` +
        "(a container's name, not localhost). Grafana's log says why the connection failed (refused, DNS, TLS)."
      );
    case 'proxy-timeout':
      return `Check that ${what} runs and answers Grafana's server in time; Grafana's log has the details.`;
    case 'bad-url':
      return 'Enter the full URL, such as http://otel-collector:4318.';
    default:
      return undefined;
  }
}

/** `<url>/v1/traces`, or the URL as it is when it already ends so. */
export function otlpTracesUrl(otlpHttpUrl: string): string {
  const trimmed = otlpHttpUrl.trim();
  if (/\/v1\/traces\/?$/.test(trimmed)) {
    return trimmed;
  }
  return `${trimmed.replace(/\/+$/, '')}/v1/traces`;
}

/**
 * The Collector's `health_check` extension: 200 with a JSON status (`{"status":"Server available",...}`),
 * 503 while the Collector is not ready.
 */
export async function collectorHealth(
  transport: HttpTransport,
  healthUrl: string,
  options: CheckOptions = {}
): Promise<Check> {
  const base = {
    id: 'collector-health',
    title: 'Collector health',
    method: 'GET' as const,
    url: healthUrl.trim(),
    started: Date.now(),
  };
  const docs = COLLECTOR_DOCS.healthCheck;
  const answer = await probe(transport, 'GET', base.url, options);
  if (!answer.ok) {
    return checkResult(
      base,
      'fail',
      `The Collector's health check did not answer: ${answer.detail}.`,
      unreachableHint(answer.kind, "the Collector's health_check extension (port 13133)"),
      docs
    );
  }
  const status = healthStatus(answer.body);
  if (answer.status === 200) {
    if (status === undefined) {
      return checkResult(
        base,
        'fail',
        `The URL answered 200, but not with the health_check extension's JSON status${words(answer.body)}.`,
        'Point the URL at the health_check extension (by default port 13133, path /).',
        docs
      );
    }
    return checkResult(base, 'pass', `The Collector is healthy: "${status}".`);
  }
  if (answer.status === 503) {
    return checkResult(
      base,
      'fail',
      `The Collector is not healthy (HTTP 503${status ? `: "${status}"` : ''}).`,
      "Read the Collector's log: a pipeline failed to start or is shutting down.",
      docs
    );
  }
  if (answer.status === 404) {
    return checkResult(
      base,
      'fail',
      `HTTP 404 at ${base.url}${words(answer.body)}.`,
      'The health_check extension answers on its own port (13133 by default) at path / unless its `path` is set: check both.',
      docs
    );
  }
  return checkResult(
    base,
    'fail',
    `The health check answered HTTP ${answer.status}${words(answer.body)}.`,
    'Point the URL at the health_check extension (by default port 13133).',
    docs
  );
}

function healthStatus(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { status?: unknown };
    return typeof parsed?.status === 'string' ? parsed.status.slice(0, 100) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the OTLP/HTTP receiver accepts a valid empty export (`{"resourceSpans":[]}` as JSON): it answers
 * 200 with `partialSuccess` and stores nothing, so the probe is safe to repeat. Each failure is diagnosed by name.
 */
export async function collectorOtlpAccepts(
  transport: HttpTransport,
  otlpHttpUrl: string,
  options: CheckOptions = {}
): Promise<Check & { unanswered?: boolean }> {
  const url = otlpTracesUrl(otlpHttpUrl);
  const base = {
    id: 'collector-otlp',
    title: 'Collector OTLP/HTTP receiver',
    method: 'POST' as const,
    url,
    started: Date.now(),
  };
  const answer = await probe(transport, 'POST', url, {
    ...options,
    headers: { ...withoutContentType(options.headers), 'Content-Type': 'application/json' },
    body: '{"resourceSpans":[]}',
  });
  // No HTTP answer (not a cancel): the canary, which would send through it, is then not checked.
  return !answer.ok && answer.kind !== 'aborted'
    ? { ...receiverAnswer(base, answer), unanswered: true }
    : receiverAnswer(base, answer);
}

/** What the OTLP/HTTP receiver's answer to an export says (the probe above, and the canary's real span). */
export function receiverAnswer(
  base: { id: string; title: string; method: 'POST'; url: string; started: number },
  answer: ProbeResult
): Check {
  const url = base.url;
  const docs = COLLECTOR_DOCS.otlpReceiver;
  if (!answer.ok) {
    return checkResult(
      base,
      'fail',
      `The OTLP/HTTP receiver did not answer: ${answer.detail}.`,
      unreachableHint(answer.kind, 'the OTLP/HTTP receiver (port 4318)'),
      docs
    );
  }
  const said = errorText(answer.body);
  switch (answer.status) {
    case 200: {
      let parsed: unknown;
      try {
        parsed = JSON.parse(answer.body);
      } catch {
        parsed = undefined;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return checkResult(
          base,
          'fail',
          `${url} answered 200, but not as an OTLP receiver does (a JSON object)${words(answer.body)}.`,
          "Point the URL at the Collector's OTLP/HTTP receiver (port 4318), not at another server or a proxy's page.",
          docs
        );
      }
      const partial = 'partialSuccess' in parsed;
      // An export response has only partialSuccess (older receivers answer `{}`); other keys: another server.
      if (Object.keys(parsed).some((key) => key !== 'partialSuccess')) {
        return checkResult(
          base,
          'warn',
          `${url} answered 200 with JSON that is not an OTLP export response (expected {"partialSuccess":{}}).`,
          "Check that the URL is the Collector's OTLP/HTTP receiver and not another server or proxy that answers 200.",
          docs
        );
      }
      return checkResult(
        base,
        'pass',
        `The receiver accepted an empty export (200${partial ? ' with partialSuccess' : ''}).`
      );
    }
    case 400:
      return checkResult(
        base,
        'fail',
        `The receiver refused the export as malformed (HTTP 400${words(said)}).`,
        'A proxy in front of the receiver may rewrite the body; send OTLP/JSON or protobuf straight to the receiver.',
        docs
      );
    case 401:
    case 403:
      return checkResult(
        base,
        'fail',
        `The receiver refused the credentials (HTTP ${answer.status}${words(said)}).`,
        answer.status === 401
          ? 'Set the authentication header the receiver or the proxy in front of it expects (Authorization, or a custom header such as PRIVATE-TOKEN).'
          : "The credentials were read but do not allow writing traces: check the token's scope.",
        docs
      );
    case 404:
      return checkResult(
        base,
        'fail',
        `Nothing at ${url} (HTTP 404${words(said)}).`,
        'The OTLP/HTTP receiver takes traces at /v1/traces (e.g. http://otel-collector:4318/v1/traces): check the path and any proxy prefix.',
        docs
      );
    case 405:
      return checkResult(
        base,
        'fail',
        `The server does not take POST at ${url} (HTTP 405${words(said)}).`,
        'This is not an OTLP/HTTP receiver (it takes POST at /v1/traces); check the host, port and path.',
        docs
      );
    case 415:
      return checkResult(
        base,
        'fail',
        `The receiver refused the content type application/json (HTTP 415${words(said)}).`,
        'A proxy may change the Content-Type; the receiver takes application/json and application/x-protobuf.',
        docs
      );
    case 429: {
      const retry = answer.headers.get('retry-after');
      return checkResult(
        base,
        'fail',
        `The receiver is rate-limiting (HTTP 429${retry ? `, Retry-After: ${retry.slice(0, 40)}` : ''}${words(said)}).`,
        `Ingestion is over its rate limit${retry ? `; try again after ${/^\d+$/.test(retry.trim()) ? `${retry.trim()} s` : retry.slice(0, 40)}` : ''}, or raise the limit.`,
        docs
      );
    }
    case 503:
      if (/no org id/i.test(said)) {
        return checkResult(
          base,
          'fail',
          `The receiver needs a tenant (HTTP 503 "no org id"): it forwards to a multi-tenant Tempo.`,
          "Send the tenant as the X-Scope-OrgID header, here and in the Collector's exporter headers.",
          COLLECTOR_DOCS.multitenancy
        );
      }
      return checkResult(
        base,
        'fail',
        `The receiver is unavailable (HTTP 503${words(said)}).`,
        'The Collector is starting, shutting down or its exporter queue is full: read its log, and check that its exporter reaches Tempo.',
        docs
      );
    default:
      return checkResult(
        base,
        'fail',
        `The receiver answered HTTP ${answer.status}${words(said)}.`,
        "Check the URL: it should be the Collector's OTLP/HTTP receiver (port 4318).",
        docs
      );
  }
}

/** The caller's headers without a Content-Type in any case: the probe's JSON body decides it. */
export function withoutContentType(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-type'));
}
