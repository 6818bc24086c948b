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
  return new LayoutWorker(new URL('./layout.worker.ts', import.meta.url), { name: 'traceway-service-map-layout' });
}
