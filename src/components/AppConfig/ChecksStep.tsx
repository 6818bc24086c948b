import React, { useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Icon, Spinner, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';
import { plannedChecks, runChecks, type Check } from '../../setup';
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

function CheckRow({ id, title, check, running }: { id: string; title: string; check?: Check; running: boolean }) {
  const styles = useStyles2(getStyles);
  const via = (check?.request as { via?: string } | undefined)?.via;
  return (
    <li
      className={`${styles.row} ${check?.status === 'fail' ? styles.failRow : check?.status === 'warn' ? styles.warnRow : ''}`}
      data-testid={ids.checkRow(id)}
      data-status={check?.status ?? (running ? 'running' : 'idle')}
    >
      <span aria-hidden={!!check}>
        {check ? (
          <Icon name={ICONS[check.status]} className={styles[check.status]} size="lg" />
        ) : running ? (
          <Spinner inline />
        ) : (
          <Icon name="circle" />
        )}
      </span>
      <div className={styles.body}>
        <Text weight="medium" color={check?.status === 'fail' ? 'error' : undefined}>
          {title}
          {check && <span className="sr-only">{` ${WORDS[check.status]}`}</span>}
        </Text>
        {check && (
          <>
            <span className={styles.request}>
              {check.request.method} {check.request.url}
              {via === 'grafana' ? ' (through Grafana)' : ''}
            </span>
            <Text>{check.message}</Text>
            {check.hint && (
              <Text color="secondary">
                {check.hint}
                {check.docsUrl && (
                  <>
                    {' '}
                    <TextLink href={check.docsUrl} external inline>
                      Documentation
                    </TextLink>
                  </>
                )}
              </Text>
            )}
          </>
        )}
        {!check && <Text color="secondary">{running ? 'Running…' : 'Not run yet'}</Text>}
      </div>
      <span className={styles.ms}>{check ? `${Math.round(check.ms)} ms` : ''}</span>
    </li>
  );
}

interface Progress {
  plan: WizardCheckPlan;
  attempt: number;
  results: Record<string, Check>;
  done: number;
  finished: boolean;
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

/** Step 2: the checks of the saved settings, each row at once with a spinner, cancelled when the page is left. */
export function ChecksStep({ jsonData, dirty, saveDisabled, onSave, planFor = checkPlanFromSettings }: Props) {
  const styles = useStyles2(getStyles);
  const plan = useMemo(() => planFor(jsonData), [jsonData, planFor]);
  const rows = useMemo(() => plannedChecks(plan), [plan]);
  // "Run checks again" counts up; a run's results belong to its plan and attempt, so a new run starts empty.
  const [attempt, setAttempt] = useState(0);
  const [progress, setProgress] = useState<Progress>();
  const controller = useRef<AbortController | undefined>(undefined);

  // Runs when the step opens, when the saved settings change and on "Run checks again"; leaving the page cancels.
  useEffect(() => {
    if (rows.length === 0) {
      return;
    }
    const c = new AbortController();
    controller.current = c;
    const mine = (p?: Progress) => p?.plan === plan && p.attempt === attempt;
    void runChecks(plan, {
      signal: c.signal,
      onProgress: (check, done) =>
        setProgress((p) =>
          mine(p)
            ? { ...p!, results: { ...p!.results, [check.id]: check }, done }
            : { plan, attempt, results: { [check.id]: check }, done, finished: false }
        ),
    }).then((checks) =>
      // Cancelled checks end as fail "cancelled": shown too, so that no row spins forever.
      setProgress({
        plan,
        attempt,
        results: Object.fromEntries(checks.map((check) => [check.id, check])),
        done: checks.length,
        finished: true,
      })
    );
    return () => c.abort();
  }, [plan, rows.length, attempt]);

  const current = progress?.plan === plan && progress.attempt === attempt ? progress : undefined;
  const results = current?.results ?? {};
  const done = current?.done ?? 0;
  const running = rows.length > 0 && !current?.finished;

  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const check of Object.values(results)) {
    counts[check.status]++;
  }

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
      {rows.length === 0 ? (
        <Alert severity="warning" title="Nothing to check yet">
          Set the Tempo URL or the Collector&apos;s URLs in step 1 and save.
        </Alert>
      ) : (
        <>
          <Stack direction="row" gap={2} alignItems="center" wrap="wrap">
            <span data-testid={ids.checksProgress} aria-live="polite">
              {running
                ? `${done} of ${rows.length} checks done`
                : `${rows.length} checks: ${counts.pass} passed, ${counts.warn} warned, ${counts.fail} failed`}
            </span>
            {running ? (
              <Button
                variant="secondary"
                size="sm"
                icon="times"
                data-testid={ids.checksCancel}
                onClick={() => controller.current?.abort()}
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
              <CheckRow key={row.id} id={row.id} title={row.title} check={results[row.id]} running={running} />
            ))}
          </ul>
        </>
      )}
    </Stack>
  );
}
