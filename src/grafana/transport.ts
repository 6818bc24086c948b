import { fetchTransport, type HttpResponse, type HttpTransport } from '../http';

interface BootData {
  user?: { orgId?: number };
}

/**
 * The org the page was loaded for. Grafana's `config` is built from this same boot data; reading it
 * here avoids importing `config`, whose class changes shape between Grafana 12 and 13.
 */
export function currentOrgId(): number | undefined {
  const boot = (window as unknown as { grafanaBootData?: BootData }).grafanaBootData;
  const orgId = boot?.user?.orgId;
  return typeof orgId === 'number' && orgId > 0 ? orgId : undefined;
}

/** Which back end the proxy reaches, to name it in the restored 401. */
export type Upstream = 'Tempo' | 'Prometheus';

/** What Grafana's data source proxy answers, with HTTP 400, in place of the data source's 401. */
export const PROXY_AUTH_FAILED = 'Authentication to data source failed';

/** How much of a 400's body is read to recognise PROXY_AUTH_FAILED: as much as an error message needs. */
const ERROR_HEAD_BYTES = 4096;

/**
 * Grafana's data source proxy turns a 401 from the data source into `400 Authentication to data source
 * failed` (so that the user's own session is not taken to have expired) and logs the data source's words.
 * Read as a 400 it would be "Tempo refused the query"; it is a refused login or, from a multi-tenant Tempo,
 * `no org id`. The answer is given back as the 401 it was, saying both.
 */
async function restoreUnauthorized(response: HttpResponse, upstream: Upstream): Promise<HttpResponse> {
  if (response.status !== 400 || (response.headers.get('content-type') ?? '').includes('json')) {
    return response;
  }
  const text = response.head ? await response.head(ERROR_HEAD_BYTES) : await response.text();
  const body =
    text.trim() === PROXY_AUTH_FAILED
      ? `Grafana's data source proxy says "${PROXY_AUTH_FAILED}": ${upstream} refused the data source's credentials, ` +
        `or it is a multi-tenant ${upstream === 'Tempo' ? 'Tempo' : 'Mimir or Cortex'} and the data source sends no ` +
        'tenant (the X-Scope-OrgID header)'
      : text;
  return {
    status: body === text ? 400 : 401,
    headers: response.headers,
    text: async () => body,
    head: async (bytes: number) => body.slice(0, bytes),
    discard: () => undefined,
  };
}

/**
 * A transport to Grafana's own API (the data source proxy): the session cookie authenticates and the
 * org header picks the user's current org, as backendSrv would send it. `upstream` names the back end in the
 * restored 401: one for every request, or per request URL (undefined: no restore). It is fetch rather than
 * backendSrv because fetch can report a large trace's bytes as they arrive.
 */
export function grafanaTransport(
  upstream: Upstream | ((url: string) => Upstream | undefined) = 'Tempo'
): HttpTransport {
  const orgId = currentOrgId();
  // Looked up per call, so that a missing fetch surfaces as a failed request rather than a crash.
  const transport = fetchTransport((input, init) => window.fetch(input, init), {
    credentials: 'same-origin',
    headers: orgId ? { 'X-Grafana-Org-Id': String(orgId) } : {},
  });
  return async (url, request) => {
    const response = await transport(url, request);
    // Per request when given a function: a request to no data source proxy is left as it is.
    const name = typeof upstream === 'function' ? upstream(url) : upstream;
    return name ? restoreUnauthorized(response, name) : response;
  };
}
