import { useEffect, useRef, useState } from 'react';

import { createLayoutWorker } from './createLayoutWorker';
import type { LayoutReply, LayoutRequest } from './protocol';
import type { LayoutInput, LayoutResult } from './types';

export interface LayoutState {
  layout?: LayoutResult;
  /** a layout for the current input is being computed; `layout` is still the previous one, if any */
  pending: boolean;
  error?: string;
}

interface Answer {
  input: LayoutInput;
  layout?: LayoutResult;
  error?: string;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

let workerFactory: () => Worker | undefined = createLayoutWorker;
// Once a worker has failed to start or run (CSP, a blocked script, an old browser), layouts stay on the main thread.
let workerBroken = false;
let nextId = 1;

/** For tests: how workers are started (undefined: no worker, compute on the main thread). */
export function setLayoutWorkerFactory(factory: () => Worker | undefined) {
  workerFactory = factory;
  workerBroken = false;
}

function warnWorker(reason: unknown) {
  if (!workerBroken) {
    workerBroken = true;
    const why = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'unknown error';
    console.warn(`Traceway: the service map's layout worker failed (${why}); laying out on the main thread instead.`);
  }
}

// d3-force and dagre are in the worker's chunk; the main thread loads them only when it has to lay out itself.
const loadComputeLayout = () => import(/* webpackChunkName: "servicemap-layout" */ './computeLayout');

async function computeAnswer(input: LayoutInput): Promise<Answer> {
  try {
    const { computeLayout } = await loadComputeLayout();
    return { input, layout: computeLayout(input) };
  } catch (error) {
    return { input, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The layout of `input`, computed in a Web Worker so that the page never freezes (memoise `input`: a new
 * object means a new layout). A newer input wins: the worker still busy with an older one is terminated and
 * its answer never shown. Where no worker can run (no Worker, as in jest; a worker that fails to load, e.g.
 * blocked by a Content Security Policy) the layout is computed on the main thread, with a console warning.
 * While a new layout is computed, the previous one is returned with `pending: true`.
 */
export function useLayout(input: LayoutInput | undefined): LayoutState {
  const [answer, setAnswer] = useState<Answer | undefined>(undefined);
  const slot = useRef<Slot | undefined>(undefined);

  useEffect(
    () => () => {
      slot.current?.worker.terminate();
      slot.current = undefined;
    },
    []
  );

  useEffect(() => {
    if (!input) {
      return;
    }
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (next: Answer) => {
      if (!done) {
        done = true;
        setAnswer(next);
      }
    };
    // After this render, so that a pending state can paint first.
    const onMainThread = () => {
      timer = setTimeout(() => computeAnswer(input).then(finish), 0);
    };

    const current = acquire(slot);
    if (!current) {
      onMainThread();
      return () => {
        done = true;
        clearTimeout(timer);
      };
    }
    const id = nextId++;
    const onMessage = (event: MessageEvent<LayoutReply>) => {
      if (event.data?.id !== id) {
        return;
      }
      current.busy = false;
      finish('layout' in event.data ? { input, layout: event.data.layout } : { input, error: event.data.error });
    };
    const fail = (reason: unknown) => {
      warnWorker(reason);
      current.worker.terminate();
      if (slot.current === current) {
        slot.current = undefined;
      }
      onMainThread();
    };
    const onError = (event: Event) => {
      event.preventDefault();
      fail((event as ErrorEvent).message || `the worker script did not load or threw (${event.type})`);
    };
    current.worker.addEventListener('message', onMessage);
    current.worker.addEventListener('error', onError);
    current.worker.addEventListener('messageerror', onError);
    current.busy = true;
    try {
      current.worker.postMessage({ id, input } satisfies LayoutRequest);
    } catch (error) {
      fail(error);
    }
    return () => {
      done = true;
      clearTimeout(timer);
      current.worker.removeEventListener('message', onMessage);
      current.worker.removeEventListener('error', onError);
      current.worker.removeEventListener('messageerror', onError);
      // Superseded (or unmounted) while computing: stop that work instead of queueing behind it.
      if (current.busy) {
        current.worker.terminate();
        if (slot.current === current) {
          slot.current = undefined;
        }
      }
    };
  }, [input]);

  if (!input) {
    return { pending: false };
  }
  const fresh = answer?.input === input;
  // The previous layout stays on screen while the next is computed (its error does not).
  return { layout: answer?.layout, pending: !fresh, ...(fresh && answer?.error ? { error: answer.error } : {}) };
}

/** The idle worker of this hook, or a new one; undefined when no worker can run here. */
function acquire(slot: { current: Slot | undefined }): Slot | undefined {
  if (slot.current && !slot.current.busy) {
    return slot.current;
  }
  if (workerBroken) {
    return undefined;
  }
  try {
    const worker = workerFactory();
    slot.current = worker ? { worker, busy: false } : undefined;
  } catch (error) {
    // e.g. a SecurityError when a Content Security Policy forbids workers
    warnWorker(error);
    slot.current = undefined;
  }
  return slot.current;
}
