import { fetchTransport, type HttpTransport } from '../http';

interface BootData {
  user?: { orgId?: number };
}

/**
 * The org the page was loaded for. Grafana's `config` is built from this same boot data; reading it
 * here avoids importing `config`, whose class changes shape between Grafana 12 and 13.
 */
function currentOrgId(): number | undefined {
  const boot = (window as unknown as { grafanaBootData?: BootData }).grafanaBootData;
  const orgId = boot?.user?.orgId;
  return typeof orgId === 'number' && orgId > 0 ? orgId : undefined;
}

/**
 * A transport to Grafana's own API (the data source proxy): the session cookie authenticates and the
 * org header picks the user's current org, as backendSrv would send it. It is fetch rather than
 * backendSrv because fetch can report a large trace's bytes as they arrive.
 */
export function grafanaTransport(): HttpTransport {
  const orgId = currentOrgId();
  // Looked up per call, so that a missing fetch surfaces as a failed request rather than a crash.
  return fetchTransport((input, init) => window.fetch(input, init), {
    credentials: 'same-origin',
    headers: orgId ? { 'X-Grafana-Org-Id': String(orgId) } : {},
  });
}
