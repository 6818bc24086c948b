/** Grafana's dashboards, as far as the app links to them. */
import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';

/**
 * Whether the dashboard with this uid exists for the signed-in user: `GET /api/dashboards/uid/<uid>` answers 200
 * with it, 404 "Dashboard not found" without (403 when the user may not see it). Anything but a 200 is false, so a
 * link to it is shown only when it leads somewhere. backendSrv prefixes Grafana's sub-path (root_url) itself.
 */
export async function dashboardExists(uid: string): Promise<boolean> {
  try {
    const answer = await lastValueFrom(
      getBackendSrv().fetch<unknown>({
        url: `/api/dashboards/uid/${encodeURIComponent(uid)}`,
        showErrorAlert: false,
        showSuccessAlert: false,
      })
    );
    return answer.status === 200;
  } catch {
    return false;
  }
}
