import React, { FormEvent, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Button, Combobox, ComboboxOption, Field, Input, useStyles2 } from '@grafana/ui';
import { Trace, summarize } from '../../trace';
import { normalizeTraceId } from '../../tempo';
import { dataSourcesOfType } from '../../grafana';
import { CompareUrlState, comparePagePath, readCompareUrl, searchPagePath, tracePagePath } from '../../routes';
import { useAppSettings } from '../../components/AppSettingsContext';
import { FileButton } from '../../components/FileButton/FileButton';
import { NoData } from '../../components/NoData/NoData';
import { TraceDiff } from '../../components/TraceDiff/TraceDiff';
import { testIds } from '../../components/testIds';
import {
  TraceFileError,
  checkTraceFile,
  readFileBytes,
  tracesFromBytes,
} from '../../components/OpenTraceFile/readTraceFile';
import {
  BadIdSide,
  EmptySide,
  pickOtherTrace,
  FileReadState,
  FileSide,
  FileSideState,
  LoadedTrace,
  SIDE_LABEL,
  Side,
  TempoSide,
} from './CompareSide';
import { TraceQuery, secondsRange, traceQueryKey } from '../trace/traceQuery';

const ids = testIds.compare;
const SIDES: Side[] = ['a', 'b'];

/**
 * Two traces compared (`compare?a=<id>&b=<id>&ds=&from=&to=`): A, the baseline, and B, the one compared with it,
 * each from Tempo by ID (both loaded at once) or from a file, then merged by service + operation path
 * (TraceDiff). The IDs live in the URL; a file's trace stays in the page, as on the file trace page.
 */
function ComparePage() {
  const styles = useStyles2(getStyles);
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const url = useMemo(() => readCompareUrl(params), [params]);
  const { tempoDatasourceUid } = useAppSettings();
  const datasource = url.datasource ?? tempoDatasourceUid;

  const [files, setFiles] = useState<Partial<Record<Side, FileSideState>>>({});
  const [reading, setReading] = useState<Partial<Record<Side, FileReadState>>>({});
  // Each side's trace from Tempo with the query it answers: a side shows it only while its query is that one
  // (after Swap, a trace ID on the other side, another data source).
  const [tempoTraces, setTempoTraces] = useState<Partial<Record<Side, LoadedTrace>>>({});
  const onTrace = useCallback(
    (side: Side, loaded: LoadedTrace | undefined) =>
      setTempoTraces((prev) =>
        prev[side]?.trace === loaded?.trace && prev[side]?.key === loaded?.key ? prev : { ...prev, [side]: loaded }
      ),
    []
  );

  // The form follows the URL (Back, a link from Search) and keeps what is typed until Compare: a draft typed
  // over another URL's IDs is dropped.
  const urlKey = `${url.a ?? ''}\n${url.b ?? ''}`;
  const fresh = { key: urlKey, a: url.a ?? '', b: url.b ?? '', errors: {} as Partial<Record<Side, string>> };
  const [typed, setTyped] = useState(fresh);
  const form = typed.key === urlKey ? typed : fresh;
  const draft = { a: form.a, b: form.b };
  const draftErrors = form.errors;

  // The URL as last rendered, for updates that finish later (a file read): they change only what they mean to,
  // on top of what the user changed meanwhile (Compare, the data source), not on top of the URL they started from.
  const latestUrl = useRef(url);
  useLayoutEffect(() => {
    latestUrl.current = url;
  }, [url]);
  // Each side's trace as last rendered: a file read picks a trace the other side does not have.
  const latestTraces = useRef<Partial<Record<Side, Trace>>>({});
  const go = (next: CompareUrlState) => navigate(comparePagePath({ ...latestUrl.current, ...next }));

  // Reading a file: one read per side at a time; leaving the page (or Compare giving the side an ID) stops it.
  const readers = useRef<Partial<Record<Side, AbortController>>>({});
  useEffect(() => () => SIDES.forEach((s) => readers.current[s]?.abort()), []);

  const onSubmit = (e?: FormEvent) => {
    e?.preventDefault();
    const next: CompareUrlState = {};
    const errors: Partial<Record<Side, string>> = {};
    for (const side of SIDES) {
      const text = draft[side].trim();
      if (text === '') {
        // An empty side keeps its file, if it has one.
        next[side] = undefined;
        continue;
      }
      const parsed = normalizeTraceId(text);
      if ('error' in parsed) {
        errors[side] = parsed.error;
      } else {
        next[side] = parsed.traceId;
      }
    }
    setTyped({ ...form, errors });
    if (Object.keys(errors).length > 0) {
      return;
    }
    // A side given an ID is no longer the file's, nor the one still being read.
    for (const side of SIDES) {
      if (next[side]) {
        readers.current[side]?.abort();
      }
    }
    setFiles((prev) => ({ a: next.a ? undefined : prev.a, b: next.b ? undefined : prev.b }));
    setReading((prev) => ({ a: next.a ? undefined : prev.a, b: next.b ? undefined : prev.b }));
    go(next);
  };

  // The traces change sides, loaded ones included: the Tempo sides are keyed by trace ID, so neither loads again.
  const swap = () => {
    setFiles((prev) => ({ a: prev.b, b: prev.a }));
    setReading((prev) => ({ a: prev.b, b: prev.a }));
    setTempoTraces((prev) => ({ a: prev.b, b: prev.a }));
    go({ a: url.b, b: url.a });
  };

  const openFile = async (side: Side, file: File) => {
    readers.current[side]?.abort();
    const controller = new AbortController();
    readers.current[side] = controller;
    try {
      checkTraceFile(file);
      setReading((prev) => ({ ...prev, [side]: { status: 'reading', name: file.name } }));
      const bytes = await readFileBytes(file, undefined, controller.signal);
      // Paint "Reading" before the model's synchronous work holds the main thread.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (controller.signal.aborted) {
        return;
      }
      const traces = tracesFromBytes(file.name, bytes);
      const summaries = traces.map(summarize);
      // Not the trace the other side has when the file holds others (the same file opened for both sides).
      const other = latestTraces.current[side === 'a' ? 'b' : 'a'];
      const pick = pickOtherTrace(summaries, other?.traceId);
      setFiles((prev) => ({ ...prev, [side]: { name: file.name, traces, summaries, ...pick } }));
      setReading((prev) => ({ ...prev, [side]: undefined }));
      // The side is the file's now: its ID leaves the URL.
      if (latestUrl.current[side]) {
        go({ [side]: undefined });
      }
    } catch (e) {
      if (controller.signal.aborted) {
        return;
      }
      const message =
        e instanceof TraceFileError
          ? e.message
          : `"${file.name}" could not be read: ${e instanceof Error ? e.message : String(e)}`;
      setReading((prev) => ({ ...prev, [side]: { status: 'error', message } }));
    }
  };

  const tempos = useMemo(() => dataSourcesOfType('tempo'), []);
  const dsOptions = useMemo(() => {
    const options: Array<ComboboxOption<string>> = tempos.map((t) => ({
      label: t.name,
      value: t.uid,
      description: t.uid,
    }));
    if (!tempos.some((t) => t.uid === datasource)) {
      options.push({ label: datasource, value: datasource, description: 'not a Tempo data source here' });
    }
    return options;
  }, [tempos, datasource]);

  const traceHref = (traceId: string, spanId?: string) =>
    tracePagePath(traceId, spanId, { datasource: url.datasource, from: url.from, to: url.to });

  // The Tempo lookup of a side's trace ID; undefined without one or for a bad one.
  const tempoQuery = (side: Side): TraceQuery | undefined => {
    const parsed = url[side] ? normalizeTraceId(url[side]!) : undefined;
    return parsed && 'traceId' in parsed
      ? { datasourceUid: datasource, traceId: parsed.traceId, ...secondsRange(url.from, url.to) }
      : undefined;
  };

  // Each side: a file, a trace ID from the URL, a bad ID, or nothing yet.
  const sideView = (side: Side) => {
    if (files[side] || reading[side]) {
      return (
        <FileSide
          key={`file-${side}`}
          side={side}
          file={files[side]}
          reading={reading[side]}
          onPick={(index) => setFiles((prev) => ({ ...prev, [side]: { ...prev[side]!, index, otherAt: undefined } }))}
        />
      );
    }
    const id = url[side];
    if (!id) {
      return <EmptySide key={`empty-${side}`} side={side} />;
    }
    const query = tempoQuery(side);
    if (!query) {
      return <BadIdSide key={`bad-${side}`} side={side} message={(normalizeTraceId(id) as { error: string }).error} />;
    }
    // Keyed by trace ID (and side when both are the same trace): Swap moves the loaded sides, it does not remount them.
    return (
      <TempoSide
        key={`tempo-${query.traceId}${url.a === url.b ? `-${side}` : ''}`}
        side={side}
        query={query}
        href={traceHref(query.traceId)}
        onTrace={onTrace}
      />
    );
  };

  const traceOf = (side: Side): Trace | undefined => {
    const file = files[side];
    if (file) {
      return file.traces[file.index];
    }
    const query = tempoQuery(side);
    const loaded = tempoTraces[side];
    return query && loaded?.key === traceQueryKey(query) ? loaded.trace : undefined;
  };
  const a = traceOf('a');
  const b = traceOf('b');
  useLayoutEffect(() => {
    latestTraces.current = { a, b };
  });
  // A side from Tempo links a path to its span on the Trace page; a file's side has no page.
  const spanHrefOf = (side: Side) => {
    const parsed = !files[side] && url[side] ? normalizeTraceId(url[side]!) : undefined;
    return parsed && 'traceId' in parsed ? (spanId: string) => traceHref(parsed.traceId, spanId) : undefined;
  };
  const nothingPicked = !url.a && !url.b && !files.a && !files.b && !reading.a && !reading.b;

  return (
    <PluginPage pageNav={{ text: 'Compare traces' }}>
      <div className={styles.page} data-testid={ids.container}>
        <form className={styles.form} onSubmit={onSubmit}>
          <div className={styles.row}>
            <Field label="Data source" description="The Tempo both trace IDs are looked up in">
              <div data-testid={ids.datasource}>
                <Combobox<string>
                  id="traceway-compare-datasource"
                  options={dsOptions}
                  value={datasource}
                  onChange={(o) => go({ datasource: o.value })}
                  prefixIcon="database"
                  width={32}
                />
              </div>
            </Field>
          </div>
          <div className={styles.row}>
            {SIDES.map((side) => (
              <div key={side} className={styles.sideInput}>
                <Field
                  label={SIDE_LABEL[side]}
                  invalid={!!draftErrors[side]}
                  error={draftErrors[side] && <span data-testid={ids.inputError(side)}>{draftErrors[side]}</span>}
                  className={styles.field}
                >
                  <Input
                    value={draft[side]}
                    placeholder={files[side] ? `from ${files[side]!.name}` : 'Trace ID'}
                    onChange={(e) => {
                      const value = e.currentTarget.value;
                      setTyped({ ...form, [side]: value });
                    }}
                    aria-label={`Trace ID of ${side.toUpperCase()}`}
                    data-testid={ids.input(side)}
                    spellCheck={false}
                  />
                </Field>
                <FilePicker side={side} onFile={(f) => void openFile(side, f)} />
              </div>
            ))}
            <div className={styles.buttons}>
              <Button type="submit" icon="exchange-alt" data-testid={ids.submit}>
                Compare
              </Button>
              <Button
                type="button"
                variant="secondary"
                icon="arrows-h"
                onClick={swap}
                tooltip="Make B the baseline"
                data-testid={ids.swap}
              >
                Swap
              </Button>
            </div>
          </div>
        </form>

        {nothingPicked ? (
          <div data-testid={ids.intro}>
            <NoData title="Pick two traces">
              Compare the same request fast and slow, or before and after a deploy: enter two trace IDs (A is the
              baseline), open two trace files, or select two results on the Search page and press Compare. The traces
              are merged by the path of service and operation from the root.
            </NoData>
          </div>
        ) : (
          <>
            <div className={styles.sides}>{SIDES.map(sideView)}</div>
            {a && b && (
              <TraceDiff
                a={a}
                b={b}
                height="max(320px, calc(100vh - 480px))"
                spanHrefA={spanHrefOf('a')}
                spanHrefB={spanHrefOf('b')}
              />
            )}
          </>
        )}
        <div>
          <Button
            variant="secondary"
            fill="text"
            icon="search"
            onClick={() => navigate(searchPagePath({ datasource: url.datasource }))}
          >
            Find traces on the Search page
          </Button>
        </div>
      </div>
    </PluginPage>
  );
}

/** "Open a file" for one side. */
function FilePicker({ side, onFile }: { side: Side; onFile: (file: File) => void }) {
  const styles = useStyles2(getStyles);
  return (
    <FileButton
      label={`Trace file for ${side.toUpperCase()}`}
      className={styles.fileButton}
      tooltip="A JSON trace file in any format Traceway reads; it stays in this tab"
      onFiles={(files) => onFile(files[0])}
      buttonTestId={ids.file(side)}
      inputTestId={ids.fileInput(side)}
    >
      Open a file
    </FileButton>
  );
}

export default ComparePage;

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  form: css({
    display: 'flex',
    flexDirection: 'column',
    padding: theme.spacing(2, 2, 0),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
  }),
  // wide enough for a whole 32-character trace ID beside its button; B wraps under A when narrow
  sideInput: css({ flex: '1 1 480px', display: 'flex', gap: theme.spacing(1), alignItems: 'flex-end' }),
  field: css({ flexGrow: 1, minWidth: 300 }),
  // level with the input: a Field has this margin below
  fileButton: css({ marginBottom: theme.spacing(2) }),
  // The data source; then A and B side by side with the buttons (wrapping when narrow).
  row: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0, 2), alignItems: 'flex-end' }),
  buttons: css({ display: 'flex', gap: theme.spacing(1), marginLeft: 'auto', paddingBottom: theme.spacing(2) }),
  sides: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2) }),
});
