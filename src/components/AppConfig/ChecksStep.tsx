import React, { useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Icon, Spinner, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';
import {
  CANARY_SERVICE,
  DEFAULT_CANARY_TIMEOUT_MS,
  canary,
  parseVersion,
  plannedChecks,
  runChecks,
  type BuildInfoCheck,
  type Check,
} from '../../setup';
import { proxiedTransport, shownThroughProxy } from '../../setup/checks/proxy';
import { V2_TRACES_SINCE, olderThan } from '../../setup/checks/tempo';
import { checkPlanFromSettings, type WizardCheckPlan } from '../../grafana';
import { testIds } from '../testIds';

const ids = testIds.appConfig;

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  }),
  row: css({
    display: 'grid',
    gridTemplateColumns: `${theme.spacing(3)} 1fr auto`,
    columnGap: theme.spacing(1),
    padding: theme.spacing(1, 1.5),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
  }),
  pass: css({ color: theme.colors.success.text }),
  warn: css({ color: theme.colors.warning.text }),
  fail: css({ color: theme.colors.error.text }),
  warnRow: css({ borderLeft: `3px solid ${theme.colors.warning.border}` }),
  failRow: css({ borderLeft: `3px solid ${theme.colors.error.border}` }),
  body: css({ minWidth: 0, display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  request: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    overflowWrap: 'anywhere',
  }),
  ms: css({ color: theme.colors.text.secondary, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
});

const ICONS = { pass: 'check-circle', warn: 'exclamation-triangle', fail: 'times-circle' } as const;
const WORDS = { pass: 'passed', warn: 'warning', fail: 'failed' } as const;

interface RowProps {
  id: string;
  title: string;
  check?: Check;
  /** Ended because the user cancelled the run: neither a pass nor a failure of the setup. */
  cancelled?: boolean;
  running: boolean;
  /** What a running row says (default "Running…"). */
  runningText?: string;
}

function CheckRow({ id, title, check, cancelled, running, runningText = 'Running…' }: RowProps) {
  const styles = useStyles2(getStyles);
  const via = (check?.request as { via?: string } | undefined)?.via;
  const shown = cancelled ? undefined : check;
  const status = cancelled ? 'cancelled' : (check?.status ?? (running ? 'running' : 'idle'));
  return (
    <li
      className={`${styles.row} ${shown?.status === 'fail' ? styles.failRow : shown?.status === 'warn' ? styles.warnRow : ''}`}
      data-testid={ids.checkRow(id)}
      data-status={status}
    >
      <span aria-hidden={!!check}>
        {shown ? (
          <Icon name={ICONS[shown.status]} className={styles[shown.status]} size="lg" />
        ) : cancelled ? (
          <Icon name="minus-circle" size="lg" />
        ) : running ? (
          <Spinner inline />
        ) : (
          <Icon name="circle" />
        )}
      </span>
      <div className={styles.body}>
        <Text weight="medium" color={shown?.status === 'fail' ? 'error' : undefined}>
          {title}
          {check && <span className="sr-only">{` ${cancelled ? 'cancelled' : WORDS[check.status]}`}</span>}
        </Text>
        {shown && (
          <>
            <span className={styles.request}>
              {shown.request.method} {shown.request.url}
              {via === 'grafana' ? ' (through Grafana)' : ''}
            </span>
            <Text>{shown.message}</Text>
            {shown.hint && (
              <Text color="secondary">
                {shown.hint}
                {shown.docsUrl && (
                  <>
                    {' '}
                    <TextLink href={shown.docsUrl} external inline>
                      Documentation
                    </TextLink>
                  </>
                )}
              </Text>
            )}
          </>
        )}
        {cancelled && <Text color="secondary">Cancelled before it ended.</Text>}
        {!check && <Text color="secondary">{running ? runningText : 'Not run yet'}</Text>}
      </div>
      <span className={styles.ms}>{shown ? `${Math.round(shown.ms)} ms` : ''}</span>
    </li>
  );
}

interface Progress {
  plan: WizardCheckPlan;
  attempt: number;
  results: Record<string, Check>;
  /** Checks that ended after the user's Cancel without passing: counted apart, not as failures. */
  cancelled: Record<string, true>;
  done: number;
  finished: boolean;
}

interface CanaryRun {
  plan: WizardCheckPlan;
  started: number;
  check?: Check;
  cancelled?: boolean;
}

interface Props {
  /** The saved settings: the checks go through the proxy routes, which read them on Grafana's server. */
  jsonData: Record<string, unknown>;
  /** The form differs from what is saved. */
  dirty: boolean;
  saveDisabled: boolean;
  /** Saves the form; resolves true when it was saved. */
  onSave: () => Promise<boolean>;
  /** For tests: the plan from the settings (default: through Grafana). */
  planFor?: (jsonData: Record<string, unknown>) => WizardCheckPlan;
}

/**
 * The checks the step runs by itself: never the canary, which writes a span to Tempo (it runs on its button), and
 * nothing at all when no endpoint is set (the Grafana rows alone would only say that nothing is configured).
 */
export function automaticPlan(full: WizardCheckPlan): WizardCheckPlan {
  const { canary: _canary, ...plan } = full;
  if (!plan.tempo?.url && !plan.collector?.otlpHttpUrl && !plan.collector?.healthUrl && !plan.prometheus?.url) {
    return { transport: plan.transport, proxied: plan.proxied };
  }
  return plan;
}

/** The canary's Tempo URL asks /api/traces (Tempo before 2.5) when the version check said so. */
function olderTempo(version: Check | undefined): boolean {
  const text = (version as BuildInfoCheck | undefined)?.version;
  const parsed = text ? parseVersion(text) : undefined;
  return parsed !== undefined && olderThan(parsed, V2_TRACES_SINCE);
}

/** Sends the canary through the plan's routes, its result shown with the upstream URLs, like runChecks does. */
async function runCanary(plan: WizardCheckPlan, v1: boolean, signal: AbortSignal): Promise<Check> {
  const proxied = plan.proxied;
  const transport = proxied ? proxiedTransport(plan.transport, proxied) : plan.transport;
  const check = await canary(transport, plan.collector!.otlpHttpUrl!, plan.tempo!.url, {
    v1,
    signal,
    tenant: plan.tempo?.tenant,
    timeoutMs: plan.canary?.timeoutMs,
    pollIntervalMs: plan.canary?.pollIntervalMs,
  });
  return proxied ? shownThroughProxy(check, proxied) : check;
}

/** Seconds since `started`, ticking once a second while `active`. */
function useElapsedSeconds(started: number | undefined, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) {
      return;
    }
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active, started]);
  return started === undefined ? 0 : Math.max(0, Math.floor((now - started) / 1000));
}

/**
 * Step 2: the checks of the saved settings, each row at once with a spinner, cancelled when the page is left. The
 * canary (one span written to Tempo) runs only on its button.
 */
export function ChecksStep({ jsonData, dirty, saveDisabled, onSave, planFor = checkPlanFromSettings }: Props) {
  const styles = useStyles2(getStyles);
  const fullPlan = useMemo(() => planFor(jsonData), [jsonData, planFor]);
  const plan = useMemo(() => automaticPlan(fullPlan), [fullPlan]);
  const rows = useMemo(() => plannedChecks(plan), [plan]);
  const canSendCanary = !!fullPlan.collector?.otlpHttpUrl && !!fullPlan.tempo?.url;
  const savedTempoUrl = typeof jsonData.tempoUrl === 'string' ? jsonData.tempoUrl.trim() : '';
  // "Run checks again" counts up; a run's results belong to its plan and attempt, so a new run starts empty.
  const [attempt, setAttempt] = useState(0);
  const [progress, setProgress] = useState<Progress>();
  const controller = useRef<AbortController | undefined>(undefined);
  // The run the user cancelled: its checks still report (as cancelled); any other aborted run reports nothing.
  const cancelledByUser = useRef<AbortController | undefined>(undefined);
  const [canaryRun, setCanaryRun] = useState<CanaryRun>();
  const canaryController = useRef<AbortController | undefined>(undefined);

  // Runs when the step opens, when the saved settings change and on "Run checks again"; leaving the page cancels.
  useEffect(() => {
    if (rows.length === 0) {
      return;
    }
    const c = new AbortController();
    controller.current = c;
    // A run aborted by a new plan, a re-run or leaving the page must not touch the state of the run after it.
    const stale = () => c.signal.aborted && cancelledByUser.current !== c;
    const cancelledNow = (check: Check) => c.signal.aborted && check.status !== 'pass';
    const mine = (p?: Progress) => p?.plan === plan && p.attempt === attempt;
    void runChecks(plan, {
      signal: c.signal,
      onProgress: (check, done) => {
        if (stale()) {
          return;
        }
        const cancelled = cancelledNow(check);
        setProgress((p) =>
          mine(p)
            ? {
                ...p!,
                results: { ...p!.results, [check.id]: check },
                cancelled: cancelled ? { ...p!.cancelled, [check.id]: true } : p!.cancelled,
                done,
              }
            : {
                plan,
                attempt,
                results: { [check.id]: check },
                cancelled: cancelled ? { [check.id]: true } : {},
                done,
                finished: false,
              }
        );
      },
    }).then((checks) => {
      if (stale()) {
        return;
      }
      setProgress((p) => ({
        plan,
        attempt,
        results: Object.fromEntries(checks.map((check) => [check.id, check])),
        cancelled: mine(p) ? p!.cancelled : {},
        done: checks.length,
        finished: true,
      }));
    });
    return () => c.abort();
  }, [plan, rows.length, attempt]);

  // The canary belongs to the saved settings it was sent with; leaving the page or a new save cancels it.
  useEffect(() => () => canaryController.current?.abort(), [fullPlan]);

  const current = progress?.plan === plan && progress.attempt === attempt ? progress : undefined;
  const results = current?.results ?? {};
  const cancelled = current?.cancelled ?? {};
  const done = current?.done ?? 0;
  const running = rows.length > 0 && !current?.finished;
  const canaryShown = canaryRun?.plan === fullPlan ? canaryRun : undefined;
  const canaryRunning = !!canaryShown && !canaryShown.check;
  const canarySeconds = useElapsedSeconds(canaryShown?.started, canaryRunning);

  const sendCanary = () => {
    canaryController.current?.abort();
    const c = new AbortController();
    canaryController.current = c;
    const run: CanaryRun = { plan: fullPlan, started: Date.now() };
    setCanaryRun(run);
    void runCanary(fullPlan, olderTempo(results['tempo-version']), c.signal).then((check) => {
      // Superseded by another canary or a new save: that one owns the row now.
      setCanaryRun((r) => (r === run ? { ...run, check, cancelled: c.signal.aborted && check.status !== 'pass' } : r));
    });
  };

  const counts = { pass: 0, warn: 0, fail: 0, cancelled: 0 };
  for (const check of Object.values(results)) {
    counts[cancelled[check.id] ? 'cancelled' : check.status]++;
  }
  const summary =
    `${rows.length} checks: ${counts.pass} passed, ${counts.warn} warned, ${counts.fail} failed` +
    (counts.cancelled > 0 ? `, ${counts.cancelled} cancelled` : '');

  return (
    <Stack direction="column" gap={2}>
      <Text color="secondary">
        The checks ask Tempo, the Collector and Prometheus through the app&apos;s proxy routes, from Grafana&apos;s
        server, with the saved settings and secrets: what they see is what Grafana sees.
      </Text>
      {dirty && (
        <Alert severity="info" title="The checks use the saved settings" data-testid={ids.checksUnsaved}>
          <Stack direction="column" gap={1} alignItems="flex-start">
            <span>Step 1 has changes that are not saved yet.</span>
            <Button
              size="sm"
              icon="save"
              disabled={saveDisabled}
              data-testid={ids.saveAndRun}
              onClick={() => void onSave()}
            >
              Save and run checks
            </Button>
          </Stack>
        </Alert>
      )}
      {/\/$/.test(savedTempoUrl) && (
        <Alert severity="warning" title="The Tempo URL ends with a slash" data-testid={ids.checksTrailingSlash}>
          The app&apos;s Tempo routes add <code>/ready</code> and <code>/api</code> to the saved URL on Grafana&apos;s
          server, so {savedTempoUrl} becomes {savedTempoUrl}/api/…, which Tempo does not serve. Remove the trailing
          slash in step 1 and save.
        </Alert>
      )}
      {rows.length === 0 ? (
        <Alert severity="warning" title="Nothing to check yet" data-testid={ids.checksNothing}>
          Set the Tempo URL or the Collector&apos;s URLs in step 1 and save.
        </Alert>
      ) : (
        <>
          <Stack direction="row" gap={2} alignItems="center" wrap="wrap">
            <span data-testid={ids.checksProgress} aria-live="polite">
              {running ? `${done} of ${rows.length} checks done` : summary}
            </span>
            {running ? (
              <Button
                variant="secondary"
                size="sm"
                icon="times"
                data-testid={ids.checksCancel}
                onClick={() => {
                  cancelledByUser.current = controller.current;
                  controller.current?.abort();
                }}
              >
                Cancel
              </Button>
            ) : (
              <Button
                variant="secondary"
                size="sm"
                icon="sync"
                data-testid={ids.checksRerun}
                onClick={() => setAttempt((a) => a + 1)}
              >
                Run checks again
              </Button>
            )}
          </Stack>
          <ul className={styles.list} aria-label="Setup checks">
            {rows.map((row) => (
              <CheckRow
                key={row.id}
                id={row.id}
                title={row.title}
                check={results[row.id]}
                cancelled={!!cancelled[row.id]}
                running={running}
              />
            ))}
            {canaryShown && (
              <CheckRow
                id="canary"
                title="Canary span"
                check={canaryShown.check}
                cancelled={canaryShown.cancelled}
                running={canaryRunning}
                runningText={`Sent; waiting for Tempo to return it: ${canarySeconds} s`}
              />
            )}
          </ul>
        </>
      )}
      {canSendCanary && (
        <Stack direction="column" gap={1} alignItems="flex-start">
          <Text color="secondary">
            The canary writes one span, service <code>{CANARY_SERVICE}</code>, through the Collector to Tempo, and waits
            up to {Math.round((fullPlan.canary?.timeoutMs ?? DEFAULT_CANARY_TIMEOUT_MS) / 1000)} s for Tempo to return
            it: the whole path, end to end. The span stays in Tempo like any other.
          </Text>
          {canaryRunning ? (
            <Button
              variant="secondary"
              size="sm"
              icon="times"
              data-testid={ids.checksCanaryCancel}
              onClick={() => canaryController.current?.abort()}
            >
              Cancel the canary
            </Button>
          ) : (
            <Button variant="secondary" size="sm" icon="message" data-testid={ids.checksCanary} onClick={sendCanary}>
              Send a canary span
            </Button>
          )}
        </Stack>
      )}
    </Stack>
  );
}
