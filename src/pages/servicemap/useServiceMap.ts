import { useEffect, useState } from 'react';
import { LoadedServiceMap, loadServiceMap } from '../../grafana';

/** Prometheus's service-graph series, or a sample of traces from Tempo (src/grafana/serviceMap.ts). */
export type ServiceMapSourceRef = Parameters<typeof loadServiceMap>[0];

/** One load of the map: where from, over which range; `runKey` changes on Refresh. */
export interface ServiceMapRun {
  source: ServiceMapSourceRef;
  fromMs: number;
  toMs: number;
  runKey: number;
}

export type ServiceMapState =
  | { phase: 'loading'; run: ServiceMapRun; previous?: LoadedServiceMap }
  | { phase: 'done'; run: ServiceMapRun; loaded: LoadedServiceMap }
  | { phase: 'error'; run: ServiceMapRun; error: unknown };

function lastMap(state: ServiceMapState | undefined): LoadedServiceMap | undefined {
  return state?.phase === 'done' ? state.loaded : state?.phase === 'loading' ? state.previous : undefined;
}

const sameRun = (a: ServiceMapRun, b: ServiceMapRun) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Loads the map for a run, cancelling the load in flight when the run changes (another range, source or
 * data source) or the page leaves. While a new load runs, the last map is kept (`previous`), so the map
 * stays on screen with its positions instead of flashing empty.
 */
export function useServiceMap(run: ServiceMapRun | undefined): ServiceMapState | undefined {
  const [state, setState] = useState<ServiceMapState>();
  const key = run ? JSON.stringify(run) : '';
  useEffect(() => {
    if (!run) {
      return;
    }
    // Until this load settles, the state below belongs to an older run and the hook says loading.
    const controller = new AbortController();
    loadServiceMap(run.source, { fromMs: run.fromMs, toMs: run.toMs, signal: controller.signal }).then(
      (loaded) => {
        if (!controller.signal.aborted) {
          setState({ phase: 'done', run, loaded });
        }
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setState({ phase: 'error', run, error });
        }
      }
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the run's JSON is its identity
  }, [key]);
  if (!run) {
    return undefined;
  }
  // A state of an older run is never shown as this run's: until the effect starts the new load, it is loading.
  return state && sameRun(state.run, run) ? state : { phase: 'loading', run, previous: lastMap(state) };
}
