import React, { FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useNavigationType, useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import { GrafanaTheme2, RawTimeRange, dateTimeFormat } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import {
  Alert,
  Button,
  LinkButton,
  RadioButtonGroup,
  RefreshPicker,
  Combobox,
  ComboboxOption,
  Stack,
  TextArea,
  useStyles2,
} from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { useAppSettings } from '../../components/AppSettingsContext';
import { NoData } from '../../components/NoData/NoData';
import { OpenTraceFile } from '../../components/OpenTraceFile/OpenTraceFile';
import {
  DEFAULT_SEARCH_LIMIT,
  PLUGIN_ID,
  SearchUrlState,
  comparePagePath,
  exploreSearchUrl,
  readSearchUrl,
  searchPagePath,
  searchQueryString,
  tracePagePath,
} from '../../routes';
import { SearchTrace, normalizeTraceId } from '../../tempo';
import { DEFAULT_REQUEST_ID_KEYS, TraceSearch, buildTraceQL } from '../../tempo/traceql';
import { DataSourceRef, dataSourcesOfType, rememberDataSource, rememberedDataSource } from '../../grafana';
import { Draft, SearchFields, draftErrors } from './SearchFields';
import { ResultsView } from './ResultsView';
import { SearchRun, useSearch } from './useSearch';
import { useTagValues } from './useTagValues';
import { TableView, cacheSearch, cachedSearch, rememberView } from './searchCache';
import { DEFAULT_FROM, DEFAULT_TO, rawRange, resolveRange } from '../../components/TimeRange/timeRange';
import { UrlTimeRangePicker } from '../../components/TimeRange/UrlTimeRangePicker';

const ids = testIds.searchPage;

/** The fields and the hand-edited TraceQL as typed (`traceql` set: advanced mode). */
interface Form extends Draft {
  traceql?: string;
}

function formFromUrl(url: SearchUrlState): Form {
  return {
    service: url.service ?? '',
    spanName: url.spanName ?? '',
    minDuration: url.minDuration ?? '',
    maxDuration: url.maxDuration ?? '',
    status: url.status ?? 'any',
    requestId: url.requestId ?? '',
    filters: url.filters ?? [],
    limitText: String(url.limit ?? DEFAULT_SEARCH_LIMIT),
    traceql: url.traceql,
  };
}

function searchOf(form: Form): TraceSearch {
  const { limitText: _limit, traceql: _traceql, ...search } = form;
  return search;
}

/** The URL state for a form (empty fields and filters without a key left out). */
function urlStateOf(form: Form): SearchUrlState {
  const limit = Number(form.limitText.trim());
  return {
    ...searchOf(form),
    filters: (form.filters ?? []).filter((f) => f.key.trim() !== ''),
    limit: form.limitText.trim() !== '' && Number.isInteger(limit) ? limit : undefined,
    traceql: form.traceql,
  };
}

/** The TraceQL for fields, or why there is none (a field that is not valid). */
function tryBuild(search: TraceSearch, requestIdKeys: readonly string[]): { query: string } | { error: string } {
  try {
    return { query: buildTraceQL(search, { requestIdKeys }) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/**
 * The data source to search: the URL's, else the one this browser searched last, else the app's
 * configured one, else the first Tempo data source. Undefined when there is none.
 */
function pickDataSource(fromUrl: string | undefined, tempos: DataSourceRef[], configured: string): string | undefined {
  if (fromUrl) {
    return fromUrl;
  }
  const remembered = rememberedDataSource();
  for (const uid of [remembered, configured]) {
    if (uid && tempos.some((t) => t.uid === uid)) {
      return uid;
    }
  }
  return tempos[0]?.uid;
}

function SearchPage() {
  return (
    <PluginPage>
      <div data-testid={ids.container}>
        <SearchView />
      </div>
    </PluginPage>
  );
}

function SearchView() {
  const styles = useStyles2(getStyles);
  const settings = useAppSettings();
  // The app's request ID keys (settings, when they have them), else the defaults.
  const requestIdKeys = settings.requestIdKeys.length > 0 ? settings.requestIdKeys : DEFAULT_REQUEST_ID_KEYS;
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const paramsKey = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the parameters' text is their identity
  const { state: url, problems } = useMemo(() => readSearchUrl(params), [paramsKey]);
  const tempos = useMemo(() => dataSourcesOfType('tempo'), []);
  const datasource = pickDataSource(url.datasource, tempos, settings.tempoDatasourceUid);
  const from = url.from ?? DEFAULT_FROM;
  const to = url.to ?? DEFAULT_TO;
  const raw = useMemo(() => rawRange(from, to), [from, to]);
  // A refresh reads "now" again and runs the same search again.
  const [runKey, setRunKey] = useState(0);
  // A new search (new URL parameters, often with the same "now-1h") or a refresh reads "now" again.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- runKey and paramsKey re-read the clock
  const resolved = useMemo(() => resolveRange(raw), [raw, runKey, paramsKey]);
  // Back (or Forward) to a search that finished shows it as it was left, without asking Tempo again; a
  // search submitted or refreshed asks again. Looked up once per search, so a refresh is not undone.
  const navigationType = useNavigationType();
  const cacheKey = `${datasource ?? ''}\n${paramsKey}`;
  const lookup = useMemo(
    () => ({ runKey, entry: navigationType === 'POP' ? cachedSearch(cacheKey) : undefined }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new search looks again
    [cacheKey]
  );
  const restored = lookup.runKey === runKey ? lookup.entry : undefined;
  const range = restored?.range ?? resolved;

  // The form follows the URL (Back, a shared link) and keeps what is typed until it is searched.
  const [formState, setFormState] = useState<{ key: string; form: Form }>();
  const form = useMemo(
    () => (formState?.key === paramsKey ? formState.form : formFromUrl(url)),
    [formState, paramsKey, url]
  );
  const setForm = (next: Form) => setFormState({ key: paramsKey, form: next });
  // The fields change only outside advanced mode, so the hand-written TraceQL is kept as it was.
  const onFieldsChange = useCallback(
    (draft: Draft) => setFormState({ key: paramsKey, form: { ...draft, traceql: form.traceql } }),
    [paramsKey, form.traceql]
  );
  const advanced = form.traceql !== undefined;
  const built = tryBuild(searchOf(form), requestIdKeys);
  const errors = draftErrors(form);
  // In advanced mode only the query and the limit (which stays editable) count.
  const formInvalid = advanced
    ? form.traceql!.trim() === '' || errors.limit !== undefined
    : Object.keys(errors).length > 0 || 'error' in built;

  // What runs is what the URL says.
  const applied = url.traceql !== undefined ? { query: url.traceql } : tryBuild(url, requestIdKeys);
  const appliedQuery = 'query' in applied ? applied.query : undefined;
  const limit = url.limit ?? DEFAULT_SEARCH_LIMIT;
  const run: SearchRun | undefined =
    datasource && range && appliedQuery
      ? {
          datasourceUid: datasource,
          query: appliedQuery,
          fromMs: range.fromMs,
          toMs: range.toMs,
          limit,
          errorsOnly: url.traceql === undefined && url.status === 'error',
          runKey,
        }
      : undefined;
  const { state, cancel } = useSearch(run, restored?.state);
  // The table's order and opened rows, kept with the search when it is cached.
  const viewRef = useRef<TableView | undefined>(restored?.view);
  const onViewChange = useCallback(
    (view: TableView) => {
      viewRef.current = view;
      rememberView(cacheKey, view);
    },
    [cacheKey]
  );
  const finished = state?.phase === 'done' && run && !restored ? state : undefined;
  useEffect(() => {
    if (finished && run) {
      cacheSearch(cacheKey, { range: { fromMs: run.fromMs, toMs: run.toMs }, state: finished, view: viewRef.current });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- cached once, when the search finishes
  }, [finished]);

  const services = useTagValues(datasource, 'resource.service.name', undefined, range, !advanced);
  const serviceQuery = form.service?.trim() ? tryBuild({ service: form.service }, requestIdKeys) : undefined;
  const spanNames = useTagValues(
    datasource,
    'name',
    serviceQuery && 'query' in serviceQuery ? serviceQuery.query : undefined,
    range,
    !advanced
  );

  /** Goes to a search (pushed, so that Back returns), keeping what is typed in the form. */
  const go = useCallback(
    (next: SearchUrlState, keepForm?: Form) => {
      const path = searchPagePath(next);
      if (keepForm) {
        setFormState({ key: new URLSearchParams(searchQueryString(next)).toString(), form: keepForm });
      }
      if (new URLSearchParams(searchQueryString(next)).toString() === paramsKey) {
        setRunKey((k) => k + 1);
      } else {
        navigate(path);
      }
    },
    [navigate, paramsKey]
  );

  const onSubmit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!formInvalid) {
      go({ ...urlStateOf(form), datasource, from: url.from, to: url.to });
    }
  };
  // Time and data source changes search again at once, keeping what is typed; stable while only the
  // results change, so that the toolbar does not re-render with them.
  const onTimeChange = useCallback(
    (r: { from: string; to: string }) => go({ ...url, datasource, ...r }, form),
    [go, url, datasource, form]
  );
  const onDataSource = useCallback(
    (uid: string) => {
      rememberDataSource(uid);
      go({ ...url, datasource: uid }, form);
    },
    [go, url, form]
  );
  const onRefresh = useCallback(() => setRunKey((k) => k + 1), []);
  const openTrace = useCallback(
    (trace: SearchTrace | string) => {
      const id = typeof trace === 'string' ? trace : trace.traceId;
      navigate(tracePagePath(id, undefined, { datasource, from: range?.fromMs, to: range?.toMs }));
    },
    [navigate, datasource, range?.fromMs, range?.toMs]
  );
  const hrefOf = useCallback(
    (trace: SearchTrace) =>
      tracePagePath(trace.traceId, undefined, { datasource, from: range?.fromMs, to: range?.toMs }),
    [datasource, range?.fromMs, range?.toMs]
  );
  const onCompare = useCallback(
    (a: string, b: string) => navigate(comparePagePath({ a, b, datasource, from: range?.fromMs, to: range?.toMs })),
    [navigate, datasource, range?.fromMs, range?.toMs]
  );
  const onOpenTraceId = useCallback(
    (text: string) => {
      const parsed = normalizeTraceId(text);
      if ('traceId' in parsed) {
        openTrace(parsed.traceId);
      }
    },
    [openTrace]
  );

  const dsOptions = useMemo(() => {
    const options: Array<ComboboxOption<string>> = tempos.map((t) => ({
      label: t.name,
      value: t.uid,
      description: t.uid,
    }));
    if (datasource && !tempos.some((t) => t.uid === datasource)) {
      options.push({ label: datasource, value: datasource, description: 'not a Tempo data source here' });
    }
    return options;
  }, [tempos, datasource]);

  if (tempos.length === 0 && !url.datasource) {
    return (
      <div data-testid={ids.noDatasource}>
        <NoData title="No Tempo data source">
          Search needs a Tempo data source, and this organization has none. Add one under Connections &gt; Data sources,
          then pick it on Traceway&apos;s configuration page.
        </NoData>
        <Stack direction="row" gap={1} justifyContent="center">
          <LinkButton href="/connections/datasources/new" icon="plus" variant="primary">
            Add a data source
          </LinkButton>
          <LinkButton href={`/plugins/${PLUGIN_ID}`} icon="cog" variant="secondary">
            Traceway configuration
          </LinkButton>
        </Stack>
        {/* A trace file opens without any data source. */}
        <OpenTraceFile />
      </div>
    );
  }

  const queryError = state?.phase === 'error' && state.error?.kind === 'traceql' ? state.error : undefined;
  const liveQuery = advanced ? form.traceql! : 'query' in built ? built.query : undefined;

  return (
    <div className={styles.page}>
      <SearchToolbar
        dsOptions={dsOptions}
        datasource={datasource}
        onDataSource={onDataSource}
        raw={raw}
        onTimeChange={onTimeChange}
        onRefresh={onRefresh}
        loading={state?.phase === 'running'}
      />

      {problems.length > 0 && (
        <Alert severity="warning" title="Parts of this link could not be read" data-testid={ids.urlProblems}>
          {/* By position: a link can repeat the same bad part, so the text is no key. */}
          {problems.map((p, i) => (
            <div key={i}>The {p}; it was left out of the search.</div>
          ))}
        </Alert>
      )}
      {'error' in applied && (
        <Alert severity="warning" title="This link's search cannot run" data-testid={ids.urlProblems}>
          {applied.error} Correct the field and search again.
        </Alert>
      )}

      <form onSubmit={onSubmit} className={styles.form}>
        <SearchFields
          draft={form}
          onChange={onFieldsChange}
          disabled={advanced}
          services={services}
          spanNames={spanNames}
          onOpenTrace={onOpenTraceId}
        />
        <div className={styles.query}>
          <div className={styles.queryHead}>
            <span className={styles.queryLabel}>TraceQL</span>
            <div data-testid={ids.editQuery}>
              <RadioButtonGroup<'fields' | 'edit'>
                size="sm"
                options={[
                  { label: 'From the fields', value: 'fields' },
                  {
                    label: 'Edit TraceQL',
                    value: 'edit',
                    description: 'Advanced: write the query; the fields are off',
                  },
                ]}
                value={advanced ? 'edit' : 'fields'}
                onChange={(v) =>
                  setForm({ ...form, traceql: v === 'edit' ? (liveQuery ?? form.traceql ?? '{}') : undefined })
                }
              />
            </div>
          </div>
          {advanced ? (
            <TextArea
              className={styles.queryText}
              value={form.traceql}
              rows={Math.min(8, Math.max(2, form.traceql!.split('\n').length))}
              onChange={(e) => setForm({ ...form, traceql: e.currentTarget.value })}
              onKeyDown={(e) => {
                // Ctrl/Cmd+Enter searches, as in Grafana's query editors.
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  onSubmit();
                }
              }}
              spellCheck={false}
              aria-label="TraceQL query"
              data-testid={ids.queryEditor}
            />
          ) : (
            <pre className={styles.queryText} data-testid={ids.query}>
              {liveQuery ?? ('error' in built ? built.error : '')}
            </pre>
          )}
          {queryError && (
            <Alert severity="error" title={queryError.title} data-testid={ids.queryError}>
              {queryError.position && (
                <div>
                  At line {queryError.position.line}, column {queryError.position.column}
                  {appliedQuery && <ErrorCaret query={appliedQuery} position={queryError.position} />}
                </div>
              )}
              <div>{queryError.message}</div>
            </Alert>
          )}
        </div>
        <Stack direction="row" gap={1}>
          <Button type="submit" icon="search" disabled={formInvalid || !datasource} data-testid={ids.submit}>
            Search
          </Button>
          {datasource && appliedQuery && (
            <LinkButton
              variant="secondary"
              icon="compass"
              href={exploreSearchUrl(datasource, appliedQuery, { from, to }, limit)}
              data-testid={ids.explore}
            >
              Open in Explore
            </LinkButton>
          )}
        </Stack>
      </form>

      {run && state && (
        <ResultsView
          state={state}
          limit={limit}
          errorsOnly={run.errorsOnly}
          fromMs={run.fromMs}
          toMs={run.toMs}
          from={from}
          to={to}
          datasource={tempos.find((t) => t.uid === datasource)?.name ?? datasource!}
          onCancel={cancel}
          onWiden={(r) => onTimeChange(r)}
          onOpen={openTrace}
          hrefOf={hrefOf}
          onCompare={onCompare}
          initialView={restored?.view}
          onViewChange={onViewChange}
        />
      )}
    </div>
  );
}

interface ToolbarProps {
  dsOptions: Array<ComboboxOption<string>>;
  datasource: string | undefined;
  onDataSource: (uid: string) => void;
  raw: RawTimeRange;
  onTimeChange: (range: { from: string; to: string }) => void;
  onRefresh: () => void;
  loading: boolean;
}

/**
 * The data source picker, Open a trace file, and Grafana's time picker with refresh. Memoised: results
 * arriving do not re-render it.
 */
const SearchToolbar = React.memo(function SearchToolbar(props: ToolbarProps) {
  const { dsOptions, datasource, onDataSource, raw, onTimeChange, onRefresh, loading } = props;
  const styles = useStyles2(getStyles);
  // Only the refresh button follows a search's progress: the pickers are kept as they are meanwhile.
  const dsPicker = useMemo(
    () => (
      <Combobox<string>
        id="traceway-search-datasource"
        options={dsOptions}
        value={datasource ?? null}
        onChange={(o) => onDataSource(o.value)}
        prefixIcon="database"
        width={32}
      />
    ),
    [dsOptions, datasource, onDataSource]
  );
  const openFile = useMemo(() => <OpenTraceFile compact />, []);
  const timePicker = useMemo(
    () => (
      <UrlTimeRangePicker raw={raw} onChange={onTimeChange} />
    ),
    [raw, onTimeChange]
  );
  return (
    <div className={styles.toolbar}>
      <div data-testid={ids.datasource} className={styles.datasource}>
        {dsPicker}
      </div>
      <div data-testid={ids.openFile}>{openFile}</div>
      <div className={styles.spacer} />
      <div data-testid={ids.timeRange} className={styles.time}>
        {timePicker}
        <RefreshPicker
          onRefresh={onRefresh}
          onIntervalChanged={noop}
          noIntervalPicker
          isLoading={loading}
          tooltip="Search again"
        />
      </div>
    </div>
  );
});

const noop = () => {};

/** The query's line with a caret under the column Tempo's parser named. */
function ErrorCaret({ query, position }: { query: string; position: { line: number; column: number } }) {
  const styles = useStyles2(getStyles);
  const line = query.split('\n')[position.line - 1];
  if (line === undefined) {
    return null;
  }
  return (
    <pre className={styles.caret} aria-hidden>
      {line}
      {'\n'}
      {' '.repeat(Math.max(0, Math.min(line.length, position.column - 1)))}^
    </pre>
  );
}

/** Dates for messages: the start and end of a search. */
export function describeRange(fromMs: number, toMs: number): string {
  return `${dateTimeFormat(fromMs)} to ${dateTimeFormat(toMs)}`;
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  toolbar: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1), alignItems: 'center' }),
  datasource: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center' }),
  spacer: css({ flexGrow: 1 }),
  time: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center' }),
  form: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1.5),
    padding: theme.spacing(2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
  }),
  query: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  queryHead: css({ display: 'flex', gap: theme.spacing(2), alignItems: 'center' }),
  queryLabel: css({ fontWeight: theme.typography.fontWeightMedium }),
  queryText: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    margin: 0,
    padding: theme.spacing(1),
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    background: theme.colors.background.canvas,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  caret: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    margin: theme.spacing(0.5, 0),
    padding: 0,
    background: 'transparent',
    border: 'none',
    color: 'inherit',
  }),
});

export default SearchPage;
