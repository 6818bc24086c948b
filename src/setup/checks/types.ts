/** One setup check's outcome, as the configuration page and `traceway doctor` show it. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface Check {
  /** Stable id, e.g. `collector-otlp`, `tempo-ready`: what the UI keys rows by and `--json` prints. */
  id: string;
  title: string;
  status: CheckStatus;
  /** How long the check took, in milliseconds. */
  ms: number;
  /**
   * The exact request made (the URL without any credentials; headers are never shown). Through Grafana's app
   * proxy the URL is the upstream the route stands for, and `via` is 'grafana'.
   */
  request: { method: 'GET' | 'POST'; url: string; via?: 'grafana' };
  /** What happened, in one or two sentences. */
  message: string;
  /** What to do about it, when something is wrong. */
  hint?: string;
  /** The documentation page the hint is about. */
  docsUrl?: string;
}

/** What every check takes besides its URL. */
export interface CheckOptions {
  /** Cancels the check (leaving the page): it then ends as a `fail` saying it was cancelled. */
  signal?: AbortSignal;
  /** The most the check may take, its answer included; default DEFAULT_CHECK_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Extra request headers (auth, `X-Scope-OrgID`, `PRIVATE-TOKEN`); never shown in a result. */
  headers?: Record<string, string>;
}

/** 10 s: a dead endpoint fails well before anyone gives up on the page. */
export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;
