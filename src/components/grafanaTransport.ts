import { lastValueFrom } from 'rxjs';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import type { HttpTransport } from '../tempo/http';

/**
 * A transport through Grafana's backendSrv, so requests carry the user's session and org and go through
 * the data source proxy. Bodies stay text: the trace model parses them itself.
 */
export function grafanaTransport(): HttpTransport {
  return async (url, request) => {
    const headers = new Headers();
    const respond = (status: number, body: unknown, responseHeaders?: Headers) => ({
      status,
      headers: responseHeaders ?? headers,
      text: async () => (typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body)),
    });
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<string>({
          url,
          method: request.method ?? 'GET',
          headers: request.headers,
          data: request.body,
          responseType: 'text',
          showErrorAlert: false,
          showSuccessAlert: false,
          abortSignal: request.signal,
        })
      );
      return respond(response.status, response.data, response.headers);
    } catch (e) {
      // backendSrv rejects every non-2xx answer; the clients decide what a status means.
      if (isFetchError(e) && e.status) {
        return respond(e.status, e.data);
      }
      throw e;
    }
  };
}
