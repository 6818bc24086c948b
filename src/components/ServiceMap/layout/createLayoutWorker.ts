/**
 * The one module that names the worker script, with `new URL(..., import.meta.url)` that webpack turns into
 * the worker chunk's URL under the plugin's public path. Where there is no Worker (jest's jsdom, old
 * environments) it returns undefined before touching import.meta, and useLayout computes on the main thread.
 */
import { LayoutWorker } from './startWorker';

export function createLayoutWorker(): Worker | undefined {
  if (typeof Worker === 'undefined') {
    return undefined;
  }
  // The plugin's entries are AMD modules (output.library); a worker has no `define`, so its chunk is a plain script.
  return new LayoutWorker(
    /* webpackChunkName: "servicemap-layout-worker", webpackEntryOptions: { library: { type: "var", name: "tracewayServiceMapLayout" } } */
    new URL('./layout.worker.ts', import.meta.url),
    { name: 'traceway-service-map-layout' }
  );
}
