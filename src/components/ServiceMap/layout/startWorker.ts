/**
 * Starts a worker from a script URL, also when the plugin's scripts come from another origin (Grafana can serve
 * plugins from a CDN): a worker script must be same-origin, so a cross-origin chunk is loaded by a tiny
 * same-origin (blob:) worker with importScripts. webpack knows `LayoutWorker` as a worker constructor
 * (`module.parser.javascript.worker` in webpack.config.ts), so `new LayoutWorker(new URL('./x.worker.ts',
 * import.meta.url))` bundles x.worker.ts as a worker chunk and passes its URL under the plugin's public path.
 */
export interface LayoutWorkerConstructor {
  new (url: URL, options?: WorkerOptions): Worker;
}

const blobUrls = new Map<string, string>();

function startWorker(url: URL, options?: WorkerOptions): Worker {
  if (typeof location === 'undefined' || url.origin === location.origin) {
    return new Worker(url, options);
  }
  // One blob URL per script, kept for the page's life: workers are started again after each superseded layout.
  let blobUrl = blobUrls.get(url.href);
  if (!blobUrl) {
    const source = `importScripts(${JSON.stringify(url.href)});`;
    blobUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    blobUrls.set(url.href, blobUrl);
  }
  return new Worker(blobUrl, options);
}

// A function used with `new` that returns an object gives that object: the worker started by startWorker.
export const LayoutWorker = function LayoutWorker(url: URL, options?: WorkerOptions) {
  return startWorker(url, options);
} as unknown as LayoutWorkerConstructor;
