/**
 * The layout worker: d3-force and dagre run here, off the main thread (webpack bundles this file as its own
 * chunk from `new LayoutWorker(new URL('./layout.worker.ts', import.meta.url))` in createLayoutWorker.ts).
 */
import { answerLayoutRequest, type LayoutRequest } from './protocol';

// The DOM lib types `self` as a Window; in a dedicated worker it is the worker's global scope.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage: (message: unknown) => void;
};
scope.onmessage = (event) => {
  scope.postMessage(answerLayoutRequest(event.data));
};
