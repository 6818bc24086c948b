import React, { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import { GrafanaTheme2, dateTimeFormat } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, LinkButton, LoadingPlaceholder, RadioButtonGroup, Stack, Text, useStyles2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { useAppSettings } from '../../components/AppSettingsContext';
import { NoData } from '../../components/NoData/NoData';
import { ServiceMap, ServiceMapLink, ServiceMapView } from '../../components/ServiceMap';
import { serviceMapLinks } from '../../components/ServiceMap/links';
import {
  DEFAULT_SERVICE_MAP_HOPS,
  PLUGIN_ID,
  ServiceMapSource,
  ServiceMapUrlState,
  readServiceMapUrl,
  serviceMapPagePath,
} from '../../routes';
import { dataSourcesOfType, describeServiceMapFailure, findDataSource, prometheusUidFor } from '../../grafana';
import type { ServiceMap as ServiceMapModel, ServiceMapEdge, ServiceMapNode } from '../../trace';
import { DEFAULT_FROM, DEFAULT_TO, rawRange, resolveRange, widerRange } from '../../components/TimeRange/timeRange';
import { UrlTimeRangePicker } from '../../components/TimeRange/UrlTimeRangePicker';
import { ServiceMapRun, ServiceMapState, useServiceMap } from './useServiceMap';

const ids = testIds.serviceMapPage;

/** The smallest map area; below it the page scrolls rather than squeezing the map. */
const MIN_MAP_HEIGHT = 420;

function ServiceMapPage() {
  return (
    <PluginPage>
      <div data-testid={ids.container}>
        <ServiceMapPageView />
      </div>
    </PluginPage>
  );
}

/**
 * The title when the data source the map needs is not there: none is named (`none`), the UID names a data source
 * of another type, or no data source has the UID.
 */
function missingTitle(
  kind: 'Prometheus' | 'Tempo',
  uid: string | undefined,
  ds: { name: string; type: string } | undefined,
  none: string
): string {
  if (!uid) {
    return none;
  }
  return ds ? `"${ds.name}" is a ${ds.type} data source, not ${kind}` : `There is no ${kind} data source "${uid}"`;
}

/** The Tempo data source: the URL's, else the configured one if it exists, else the first one. */
function pickTempo(fromUrl: string | undefined, configured: string): string | undefined {
  if (fromUrl) {
    return fromUrl;
  }
  const tempos = dataSourcesOfType('tempo');
  return tempos.some((t) => t.uid === configured) ? configured : (tempos[0]?.uid ?? undefined);
}

function ServiceMapPageView() {
  const styles = useStyles2(getStyles);
  const settings = useAppSettings();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const paramsKey = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the parameters' text is their identity
  const { state: url, problems } = useMemo(() => readServiceMapUrl(params), [paramsKey]);
  const tempo = pickTempo(url.datasource, settings.tempoDatasourceUid);
  const prometheus = url.prometheus ?? (tempo ? prometheusUidFor(settings, tempo) : settings.prometheusDatasourceUid);
  const prometheusDs = prometheus ? findDataSource(prometheus) : undefined;
  const tempoDs = tempo ? findDataSource(tempo) : undefined;
  const source: ServiceMapSource = url.source ?? 'metrics';
  const from = url.from ?? DEFAULT_FROM;
  const to = url.to ?? DEFAULT_TO;
  const raw = useMemo(() => rawRange(from, to), [from, to]);
  const [runKey, setRunKey] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- a new range or a refresh reads "now" again
  const range = useMemo(() => resolveRange(raw), [raw, runKey]);

  const go = useCallback(
    (next: ServiceMapUrlState, replace = false) => navigate(serviceMapPagePath(next), { replace }),
    [navigate]
  );
  const onTimeChange = useCallback((r: { from: string; to: string }) => go({ ...url, ...r }), [go, url]);
  const onSource = useCallback((s: ServiceMapSource) => go({ ...url, source: s }), [go, url]);

  // Why the map cannot load at all, before asking anything.
  const blocker: 'no-prometheus' | 'no-tempo' | undefined =
    source === 'metrics'
      ? prometheusDs?.type !== 'prometheus'
        ? 'no-prometheus'
        : undefined
      : tempoDs?.type !== 'tempo'
        ? 'no-tempo'
        : undefined;
  const blockerTitle =
    blocker === 'no-prometheus'
      ? missingTitle('Prometheus', prometheus, prometheusDs, 'No Prometheus data source for the service map')
      : missingTitle('Tempo', tempo, tempoDs, 'No Tempo data source');
  const run: ServiceMapRun | undefined =
    !blocker && range
      ? {
          source:
            source === 'metrics'
              ? { kind: 'metrics', prometheusUid: prometheus! }
              : { kind: 'traces', tempoUid: tempo! },
          fromMs: range.fromMs,
          toMs: range.toMs,
          runKey,
        }
      : undefined;
  const state = useServiceMap(run);

  const view: ServiceMapView = useMemo(
    () => ({
      focus: url.focus,
      hops: url.hops ?? DEFAULT_SERVICE_MAP_HOPS,
      direction: url.direction ?? 'both',
      hideVirtual: url.hideVirtual ?? false,
      groupByNamespace: url.groupByNamespace ?? false,
    }),
    [url.focus, url.hops, url.direction, url.hideVirtual, url.groupByNamespace]
  );
  // A new focus is a new place (Back returns from it); the other toggles replace the entry.
  const onViewChange = useCallback(
    (next: ServiceMapView) => go({ ...url, ...next, focus: next.focus || undefined }, next.focus === url.focus),
    [go, url]
  );

  const shown = state?.phase === 'done' ? state.loaded : state?.phase === 'loading' ? state.previous : undefined;
  const links = useMemo(
    () => (shown ? serviceMapLinks(shown.map, { datasource: tempo, from, to }) : undefined),
    [shown, tempo, from, to]
  );

  const useTraces = tempoDs ? (
    <Button icon="gf-traces" variant="primary" onClick={() => onSource('traces')} data-testid={ids.useTraces}>
      Map a sample of traces instead
    </Button>
  ) : null;
  const configLink = (
    <LinkButton href={`/plugins/${PLUGIN_ID}`} icon="cog" variant="secondary">
      Traceway configuration
    </LinkButton>
  );
  // What to do instead when Prometheus gives no map: sampled traces, or another data source.
  const metricsAlternatives = (
    <Stack direction="row" gap={1} justifyContent="center">
      {useTraces}
      {configLink}
    </Stack>
  );

  const loadingBody = (
    <div className={styles.loading} data-testid={ids.loading}>
      <LoadingPlaceholder text={loadingText(source, prometheusDs?.name ?? prometheus, tempoDs?.name ?? tempo)} />
    </div>
  );
  let body: React.ReactNode;
  let showsMap = false;
  if (!range) {
    body = (
      <Alert severity="warning" title="This time range cannot be read" data-testid={ids.error}>
        &ldquo;{from}&rdquo; to &ldquo;{to}&rdquo; is not a time range that ends after it starts. Pick another range.
      </Alert>
    );
  } else if (blocker === 'no-prometheus') {
    body = (
      <State testId={ids.noPrometheus} title={blockerTitle}>
        <p>
          The service map reads Tempo&apos;s service-graph metrics from Prometheus.{' '}
          {!prometheus
            ? 'Neither Traceway nor the Tempo data source names one.'
            : prometheusDs
              ? `The UID "${prometheus}" names a ${prometheusDs.type} data source.`
              : `No data source here has the UID "${prometheus}".`}{' '}
          Pick it on Traceway&apos;s configuration page (or in the Tempo data source&apos;s Service graph settings), or
          map a sample of traces from Tempo instead.
        </p>
        {metricsAlternatives}
      </State>
    );
  } else if (blocker === 'no-tempo') {
    body = (
      <State testId={ids.error} title={blockerTitle}>
        <p>
          A map of sampled traces needs a Tempo data source. Add one under Connections &gt; Data sources and pick it on
          Traceway&apos;s configuration page.
        </p>
        <Stack direction="row" gap={1} justifyContent="center">
          {configLink}
        </Stack>
      </State>
    );
  } else if (state?.phase === 'error') {
    const { title, advice } = describeServiceMapFailure(state.error);
    body = (
      <State testId={ids.error} title={title}>
        <p>{advice}</p>
        {source === 'metrics' && metricsAlternatives}
      </State>
    );
  } else if (state?.phase === 'done' && state.loaded.noSeries) {
    body = (
      <State testId={ids.noSeries} title={`No service-graph metrics in "${prometheusDs?.name ?? prometheus}"`}>
        <p>
          Prometheus has no <code>traces_service_graph_request_total</code> series between{' '}
          {formatRange(range.fromMs, range.toMs)}. Tempo&apos;s metrics-generator probably does not run its
          service-graphs processor, or writes to another Prometheus. Turn it on (<code>metrics_generator</code> with{' '}
          <code>service-graphs</code> in the overrides&apos; processors), or map a sample of traces instead.
        </p>
        {metricsAlternatives}
      </State>
    );
  } else if (state?.phase === 'done' && state.loaded.sample && state.loaded.sample.traces === 0) {
    const wider = widerRange(from, to);
    const { sample } = state.loaded;
    body = (
      <State
        testId={ids.noTraces}
        title={`No traces in "${tempoDs?.name ?? tempo}" between ${formatRange(sample.fromMs, sample.toMs)}`}
      >
        <p>
          {sample.failed > 0
            ? `Tempo found traces, but none of the ${sample.failed} could be read. Refresh, or pick another range.`
            : 'Tempo found no traces in this time range. Pick a longer range, or check that traces arrive in Tempo.'}
        </p>
        {wider && (
          <Stack direction="row" gap={1} justifyContent="center">
            <Button variant="secondary" icon="history" onClick={() => onTimeChange(wider)}>
              {wider.label.replace(/^Search/, 'Map')}
            </Button>
          </Stack>
        )}
      </State>
    );
  } else if (state?.phase === 'done' && state.loaded.map.nodes.length === 0) {
    body = (
      <State testId={ids.noCalls} title="No calls between services in this time range">
        <p>
          {source === 'metrics'
            ? 'Prometheus has service-graph series, but none with requests in this range. Pick a longer range.'
            : 'The sampled traces have no calls from one service to another. Pick a longer range, or check that client and server spans are instrumented.'}
        </p>
      </State>
    );
  } else if (shown && links) {
    showsMap = true;
    body = (
      <MapArea
        map={shown.map}
        view={view}
        onViewChange={onViewChange}
        nodeLinks={links.nodeLinks}
        edgeLinks={links.edgeLinks}
      />
    );
  } else {
    body = loadingBody;
  }

  return (
    <div className={styles.page}>
      <div className={styles.toolbar}>
        <div data-testid={ids.source}>
          <RadioButtonGroup<ServiceMapSource>
            options={[
              { label: 'Metrics', value: 'metrics', description: "Tempo's service-graph metrics in Prometheus" },
              { label: 'Sampled traces', value: 'traces', description: 'The calls in a sample of traces from Tempo' },
            ]}
            value={source}
            onChange={onSource}
          />
        </div>
        <div className={styles.grow} />
        <div data-testid={ids.timeRange}>
          <UrlTimeRangePicker raw={raw} onChange={onTimeChange} />
        </div>
        <Button
          variant="secondary"
          icon={state?.phase === 'loading' ? 'spinner' : 'sync'}
          aria-label="Refresh the map"
          tooltip="Refresh: read the map again up to now"
          onClick={() => setRunKey((k) => k + 1)}
        />
      </div>
      {problems.length > 0 && (
        <Alert severity="warning" title="Parts of this link could not be read" data-testid={ids.urlProblems}>
          {problems.map((p, i) => (
            <div key={i}>The {p}; the default is used.</div>
          ))}
        </Alert>
      )}
      {showsMap && (
        <Caption
          state={state}
          source={source}
          prometheus={prometheusDs?.name ?? prometheus}
          tempo={tempoDs?.name ?? tempo}
        />
      )}
      {body}
    </div>
  );
}

function loadingText(source: ServiceMapSource, prometheus?: string, tempo?: string): string {
  return source === 'metrics'
    ? `Reading the service graph from "${prometheus}"…`
    : `Sampling traces from "${tempo}" and mapping their calls…`;
}

/** "10:02 and 10:17", with the date when the range is not within today. */
export function formatRange(fromMs: number, toMs: number): string {
  const sameDay = new Date(fromMs).toDateString() === new Date(toMs).toDateString();
  const today = new Date(toMs).toDateString() === new Date().toDateString();
  const format = sameDay && today ? 'HH:mm' : 'YYYY-MM-DD HH:mm';
  return `${dateTimeFormat(fromMs, { format })} and ${dateTimeFormat(toMs, { format })}`;
}

/** Where the map's numbers come from, said in one line: the data source, or the sample's size and range. */
function Caption(props: { state?: ServiceMapState; source: ServiceMapSource; prometheus?: string; tempo?: string }) {
  const { state, source, prometheus, tempo } = props;
  const loaded = state?.phase === 'done' ? state.loaded : undefined;
  let text: string;
  if (loaded?.sample) {
    const { traces, asked, fromMs, toMs, failed } = loaded.sample;
    text =
      `From ${traces.toLocaleString('en-US')} ${traces === 1 ? 'trace' : 'traces'} between ${formatRange(fromMs, toMs)} ` +
      `in "${tempo}": calls counted in the sample` +
      (traces >= asked ? ` (${asked.toLocaleString('en-US')}, the most a sample takes)` : '') +
      (failed > 0 ? `; ${failed.toLocaleString('en-US')} more could not be read` : '');
  } else if (loaded && state?.phase === 'done') {
    text =
      `From Tempo's service-graph metrics in "${prometheus}": requests per second between ` +
      formatRange(state.run.fromMs, state.run.toMs);
  } else if (state?.phase === 'loading') {
    text = loadingText(source, prometheus, tempo);
  } else {
    return null;
  }
  return (
    <Text color="secondary" data-testid={ids.caption}>
      {text}
    </Text>
  );
}

function State(props: { testId: string; title: string; children: React.ReactNode }) {
  const styles = useStyles2(getStyles);
  return (
    <div data-testid={props.testId} className={styles.state}>
      <NoData title={props.title} />
      <div className={styles.stateBody}>{props.children}</div>
    </div>
  );
}

interface MapAreaProps {
  map: ServiceMapModel;
  view: ServiceMapView;
  onViewChange: (view: ServiceMapView) => void;
  nodeLinks: (node: ServiceMapNode) => ServiceMapLink[];
  edgeLinks: (edge: ServiceMapEdge) => ServiceMapLink[];
}

/**
 * The map, filling the page below the toolbar: its width follows the page's, its height what is left of the
 * window (at least MIN_MAP_HEIGHT), measured before the first paint and on every resize. Not `useElementSize`:
 * the height is what the window leaves below the element (so window resizes count too), not the element's own,
 * which this sets; and the map waits for the first measure instead of drawing at a guessed size.
 */
function MapArea(props: MapAreaProps) {
  const styles = useStyles2(getStyles);
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number }>();
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    const measure = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      const width = Math.floor(el.clientWidth) || 800;
      const height = Math.max(MIN_MAP_HEIGHT, Math.floor(window.innerHeight - top - 16));
      setSize((s) => (s && s.width === width && s.height === height ? s : { width, height }));
    };
    measure();
    window.addEventListener('resize', measure);
    const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(measure);
    observer?.observe(el);
    return () => {
      window.removeEventListener('resize', measure);
      observer?.disconnect();
    };
  }, []);
  return (
    <div ref={ref} className={styles.area} style={{ height: size?.height ?? MIN_MAP_HEIGHT }} data-testid={ids.area}>
      {size && (
        <ServiceMap
          map={props.map}
          width={size.width}
          height={size.height}
          view={props.view}
          onViewChange={props.onViewChange}
          nodeLinks={props.nodeLinks}
          edgeLinks={props.edgeLinks}
        />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  toolbar: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), flexWrap: 'wrap' }),
  grow: css({ flex: 1, minWidth: 200, overflow: 'hidden' }),
  area: css({ position: 'relative', width: '100%', overflow: 'hidden' }),
  loading: css({ padding: theme.spacing(4), display: 'flex', justifyContent: 'center' }),
  state: css({ padding: theme.spacing(2, 0) }),
  stateBody: css({
    maxWidth: 720,
    margin: '0 auto',
    textAlign: 'center',
    color: theme.colors.text.secondary,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  }),
});

export default ServiceMapPage;
