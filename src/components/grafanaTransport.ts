import { config } from '@grafana/runtime';
import { fetchTransport, type HttpTransport } from '../tempo/http';

/**
 * A transport to Grafana's own API (the data source proxy): the session cookie authenticates and the
 * org header picks the user's current org, as backendSrv would send it. It is fetch rather than
 * backendSrv because fetch can report a large trace's bytes as they arrive.
 */
export function grafanaTransport(): HttpTransport {
  const orgId = config.bootData?.user?.orgId;
  // Looked up per call, so that a missing fetch surfaces as a failed request rather than a crash.
  return fetchTransport((input, init) => window.fetch(input, init), {
    credentials: 'same-origin',
    headers: orgId ? { 'X-Grafana-Org-Id': String(orgId) } : {},
  });
}
