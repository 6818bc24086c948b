/**
 * `traceway doctor`: the setup checks of the Collector → Tempo → Grafana path, as a table or JSON.
 * Parsing and printing only; the checks are src/setup's.
 */
import { Command, Option } from 'commander';

import { fetchTransport } from '../http';
import { DEFAULT_CANARY_TIMEOUT_MS, plannedChecks, runChecks, urlProblem, type Check, type CheckPlan } from '../setup';

interface DoctorIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** The option parsers `traceway trace` uses too (src/cli/main.ts), passed in to keep one of each. */
export interface DoctorParsers {
  /** --timeout: seconds or a duration (10s, 500ms, 2m); throws commander's InvalidArgumentError. */
  seconds: (value: string) => number;
  /** --header 'Name: value': the headers, or what is wrong (never quoting a value). */
  headers: (values: string[]) => Record<string, string> | { problem: string };
}

export interface DoctorOptions {
  tempo?: string;
  collector?: string;
  collectorHealth?: string;
  prometheus?: string;
  grafana?: string;
  token?: string;
  tenant?: string;
  /** Tempo's headers (`--header`, as `traceway trace` takes them). */
  header?: string[];
  collectorHeader?: string[];
  prometheusHeader?: string[];
  canary?: boolean;
  canaryTimeout?: number;
  timeout?: number;
  json?: boolean;
}

/** What is wrong with a URL option, in the words of `traceway trace --tempo`'s messages; undefined when fine. */
function urlOptionProblem(option: string, value: string, service: string, example: string): string | undefined {
  const problem = urlProblem(value);
  const shown = (s: string) => s.slice(0, 200);
  switch (problem?.kind) {
    case undefined:
      return undefined;
    case 'whitespace':
      return `${option} holds a space or another blank: give ${service}'s address, such as ${example}`;
    case 'host-port':
      return `${option} is a host and port without a scheme: give ${shown(problem.suggestion)} (or https://)`;
    case 'no-slashes':
      return `${option} lacks the // after ${problem.scheme}: give ${shown(problem.suggestion)}`;
    case 'not-url':
      return `${option} is not a URL: give ${service}'s address, such as ${example}`;
    case 'scheme':
      return `${option} is a ${problem.scheme} URL: give ${service}'s http:// or https:// address, such as ${example}`;
    case 'credentials':
      return `${option} holds credentials: remove them and pass them with a header option (or --token for Grafana)`;
    case 'query':
      return `${option} has a query or fragment: give ${service}'s base address, such as ${example} (the checks add their own paths)`;
  }
}

/** The plan from the options, or a usage problem. */
export function doctorPlan(
  opts: DoctorOptions,
  parsers: DoctorParsers
): { plan: Omit<CheckPlan, 'transport'> } | { problem: string } {
  if (opts.tempo === undefined) {
    return { problem: "--tempo URL is required: Tempo's HTTP API, such as http://tempo:3200" };
  }
  const urls: Array<[string, string | undefined, string, string]> = [
    ['--tempo', opts.tempo, 'Tempo', 'http://tempo:3200'],
    ['--collector', opts.collector, "the Collector's OTLP/HTTP receiver", 'http://otel-collector:4318'],
    ['--collector-health', opts.collectorHealth, "the Collector's health_check", 'http://otel-collector:13133/'],
    ['--prometheus', opts.prometheus, 'Prometheus', 'http://prometheus:9090'],
    ['--grafana', opts.grafana, 'Grafana', 'http://grafana:3000'],
  ];
  for (const [option, value, service, example] of urls) {
    const problem = value === undefined ? undefined : urlOptionProblem(option, value, service, example);
    if (problem) {
      return { problem };
    }
  }
  if (opts.token !== undefined && opts.grafana === undefined) {
    return { problem: "--token goes with --grafana URL: it is Grafana's service account token" };
  }
  if (opts.canary && opts.collector === undefined) {
    return { problem: '--canary needs --collector URL: the canary span is sent through the Collector' };
  }
  if (opts.canaryTimeout !== undefined && !opts.canary) {
    return { problem: '--canary-timeout goes with --canary' };
  }
  if (opts.tenant !== undefined && (opts.tenant.trim() === '' || /[\r\n\0]/.test(opts.tenant))) {
    return { problem: '--tenant is empty or holds a line break: give the tenant ID as Tempo knows it' };
  }
  const parsed: Record<string, Record<string, string>> = {};
  for (const [option, values] of [
    ['--header', opts.header],
    ['--collector-header', opts.collectorHeader],
    ['--prometheus-header', opts.prometheusHeader],
  ] as const) {
    const headers = parsers.headers(values ?? []);
    if ('problem' in headers && typeof headers.problem === 'string') {
      return { problem: headers.problem.replace(/^--header\b/, option) };
    }
    parsed[option] = headers as Record<string, string>;
  }
  // X-Scope-OrgID given as a Tempo header (in any letter case, as `traceway trace` users pass it) is the tenant:
  // the tenant check must ask without it, and the Collector and the canary send it too.
  const isTenant = (name: string) => name.toLowerCase() === 'x-scope-orgid';
  const tenantHeader = Object.entries(parsed['--header']).find(([name]) => isTenant(name))?.[1];
  if (tenantHeader !== undefined && opts.tenant !== undefined && tenantHeader !== opts.tenant.trim()) {
    return { problem: '--tenant and --header X-Scope-OrgID name different tenants: give one of them' };
  }
  if (tenantHeader !== undefined && tenantHeader.trim() === '') {
    return { problem: '--header X-Scope-OrgID is empty: give the tenant ID as Tempo knows it' };
  }
  const tenant = opts.tenant?.trim() ?? tenantHeader;
  const tempoHeaders = Object.fromEntries(Object.entries(parsed['--header']).filter(([name]) => !isTenant(name)));
  const collectorHeaders = parsed['--collector-header'];
  const plan: Omit<CheckPlan, 'transport'> = {
    ...(opts.timeout !== undefined ? { timeoutMs: Math.round(opts.timeout * 1000) } : {}),
    tempo: { url: opts.tempo, headers: tempoHeaders, ...(tenant !== undefined ? { tenant } : {}) },
  };
  if (opts.collector !== undefined || opts.collectorHealth !== undefined) {
    plan.collector = {
      ...(opts.collector !== undefined ? { otlpHttpUrl: opts.collector } : {}),
      ...(opts.collectorHealth !== undefined ? { healthUrl: opts.collectorHealth } : {}),
      headers:
        tenant !== undefined && !Object.keys(collectorHeaders).some(isTenant)
          ? { ...collectorHeaders, 'X-Scope-OrgID': tenant }
          : collectorHeaders,
    };
  } else if (opts.collectorHeader !== undefined) {
    return { problem: '--collector-header goes with --collector or --collector-health' };
  }
  if (opts.prometheus !== undefined) {
    plan.prometheus = { url: opts.prometheus, headers: parsed['--prometheus-header'] };
  } else if (opts.prometheusHeader !== undefined) {
    return { problem: '--prometheus-header goes with --prometheus URL' };
  }
  if (opts.grafana !== undefined) {
    plan.grafana = {
      url: opts.grafana,
      headers: opts.token !== undefined ? { Authorization: `Bearer ${opts.token}` } : {},
    };
  }
  if (opts.canary) {
    plan.canary = {
      timeoutMs: opts.canaryTimeout !== undefined ? Math.round(opts.canaryTimeout * 1000) : DEFAULT_CANARY_TIMEOUT_MS,
    };
  }
  return { plan };
}

/** `{"checks":[{"id","status","ms","message","hint"}]}`: `hint` only when the check has one. */
export function doctorJson(checks: Check[]): string {
  return JSON.stringify({
    checks: checks.map((c) => ({
      id: c.id,
      status: c.status,
      ms: c.ms,
      message: c.message,
      ...(c.hint ? { hint: c.hint } : {}),
    })),
  });
}

/** One line a check (status, id, ms, message), the hint under it; a summary line last. */
export function doctorTable(checks: Check[]): string {
  const idWidth = Math.max(5, ...checks.map((c) => c.id.length));
  const msWidth = Math.max(2, ...checks.map((c) => String(c.ms).length));
  const lines = [`${'STATUS'.padEnd(6)}  ${'CHECK'.padEnd(idWidth)}  ${'MS'.padStart(msWidth)}  MESSAGE`];
  for (const c of checks) {
    lines.push(`${c.status.padEnd(6)}  ${c.id.padEnd(idWidth)}  ${String(c.ms).padStart(msWidth)}  ${c.message}`);
    if (c.hint) {
      const indent = ' '.repeat(6 + 2 + idWidth + 2 + msWidth + 2);
      lines.push(`${indent}hint: ${c.hint}${c.docsUrl ? ` (${c.docsUrl})` : ''}`);
    }
  }
  const count = (s: Check['status']) => checks.filter((c) => c.status === s).length;
  lines.push('', `${count('pass')} passed, ${count('warn')} warned, ${count('fail')} failed`);
  return lines.join('\n') + '\n';
}

export function addDoctorCommand(
  program: Command,
  io: DoctorIo,
  setCode: (code: number) => void,
  parsers: DoctorParsers
): void {
  const usage = (message: string) => {
    io.err(`traceway: doctor: ${message}\n(run traceway doctor --help for usage)\n`);
    setCode(2);
  };
  program
    .command('doctor')
    .description('check the Collector → Tempo → Grafana path: each check passes, warns or fails, with a hint')
    .option('--tempo <url>', "Tempo's HTTP API, e.g. http://tempo:3200")
    .option('--collector <url>', "the Collector's OTLP/HTTP receiver, e.g. http://otel-collector:4318")
    .option('--collector-health <url>', "the Collector's health_check extension, e.g. http://otel-collector:13133/")
    .option(
      '--prometheus <url>',
      "the Prometheus that receives the metrics-generator's metrics, e.g. http://prometheus:9090"
    )
    .option('--grafana <url>', "Grafana's server, e.g. http://grafana:3000 (its Tempo data source is checked)")
    .option('--token <token>', 'with --grafana, a service account token with the Admin role (never printed)')
    .option(
      '--tenant <tenant>',
      'the tenant of a multi-tenant Tempo (sent as X-Scope-OrgID to Tempo and the Collector)'
    )
    .option(
      '--header <header>',
      "a header for Tempo, 'Name: value' (repeatable; values are never printed); X-Scope-OrgID is the tenant",
      (value: string, previous: string[] = []) => [...previous, value]
    )
    .option(
      '--collector-header <header>',
      "a header for the Collector's receiver and health check, 'Name: value' (repeatable; never printed)",
      (value: string, previous: string[] = []) => [...previous, value]
    )
    .option(
      '--prometheus-header <header>',
      "with --prometheus, a header for Prometheus, 'Name: value' (repeatable; never printed)",
      (value: string, previous: string[] = []) => [...previous, value]
    )
    .option('--canary', 'send one span through --collector and wait for it in Tempo (trace by ID)')
    .option(
      '--canary-timeout <duration>',
      'with --canary, how long to wait for the span (default 30s)',
      parsers.seconds
    )
    .option('--timeout <duration>', 'the longest each check may take: 10, 10s, 500ms (default 10s)', parsers.seconds)
    .addOption(new Option('--json', 'print {"checks":[{"id","status","ms","message","hint"}]}'))
    .addHelpText(
      'after',
      "\nChecks, for the endpoints given: the Collector's health_check and OTLP/HTTP receiver (an empty export);\n" +
        "Tempo's /ready, /api/echo, version, whether it requires a tenant, search, tags and TraceQL metrics; with\n" +
        "--grafana, its Tempo data source (the default one, or the first), the data source's health check and service\n" +
        'map; the service-graph metric in Prometheus (--prometheus, else through Grafana); with --canary, one span end\n' +
        "to end. In --json, a check's hint is there only when it has one. Each endpoint gets only its own headers\n" +
        '(--header Tempo, --collector-header the Collector, --prometheus-header Prometheus, --token Grafana); the\n' +
        'tenant (--tenant, or --header X-Scope-OrgID) goes to Tempo, the Collector and the canary.\n\n' +
        'Examples:\n' +
        '  traceway doctor --tempo http://tempo:3200 --collector http://otel-collector:4318 --canary\n' +
        "  traceway doctor --tempo http://tempo:3200 --tenant team-a --header 'Authorization: Bearer …' --json\n" +
        "  traceway doctor --tempo http://tempo:3200 --collector http://otel-collector:4318 --collector-header 'PRIVATE-TOKEN: …'\n" +
        '  traceway doctor --tempo http://tempo:3200 --grafana http://grafana:3000 --token "$GRAFANA_TOKEN"\n\n' +
        'Exit status: 0 no check failed (warnings may be printed), 1 a check failed, 2 usage error, 130 interrupted\n' +
        '(Ctrl-C: the checks still running are cancelled and the table is printed).\n'
    )
    .action(async (opts: DoctorOptions) => {
      const planned = doctorPlan(opts, parsers);
      if ('problem' in planned) {
        usage(planned.problem);
        return;
      }
      const plan: CheckPlan = { ...planned.plan, transport: fetchTransport() };
      const total = plannedChecks(plan).length;
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      let checks: Check[];
      try {
        checks = await runChecks(plan, { signal: controller.signal });
      } finally {
        process.removeListener('SIGINT', onSignal);
      }
      io.out(opts.json ? doctorJson(checks) + '\n' : doctorTable(checks));
      // Interrupted: 128 + SIGINT, as a shell reports it, not the cancelled checks' failure.
      setCode(
        controller.signal.aborted ? 130 : checks.length === total && checks.every((c) => c.status !== 'fail') ? 0 : 1
      );
    });
}
