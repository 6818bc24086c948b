/**
 * `traceway provision`: provisioning YAML from options (`tempo`), and checking a file (`validate`).
 * Parsing and printing only; the YAML is src/setup's.
 */
import { Command, Option } from 'commander';
import { readFileSync } from 'fs';

import {
  AuthForm,
  AuthKind,
  CollectorForm,
  PRESET_NAMES,
  PRESETS,
  PresetName,
  ProvisioningFormError,
  TempoForm,
  appProvisioningYaml,
  collectorExporterYaml,
  formatProblems,
  tempoDataSourceYaml,
  validateDataSourceYaml,
} from '../setup';

interface ProvisionIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export interface ProvisionTempoOptions {
  url?: string;
  name?: string;
  uid?: string;
  tenant?: string;
  auth?: AuthKind;
  headerName?: string;
  user?: string;
  secretEnv?: string;
  prometheusUid?: string;
  lokiUid?: string;
  preset?: PresetName;
  app?: boolean;
  collector?: boolean;
  otlpEndpoint?: string;
  otlpProtocol?: 'http' | 'grpc';
}

/** The forms from the preset (or defaults) with the options laid over them. */
export function formsFromOptions(opts: ProvisionTempoOptions): {
  dataSource: TempoForm;
  collector: CollectorForm;
  app: ReturnType<typeof appOf>;
} {
  const preset = opts.preset ? PRESETS[opts.preset] : undefined;
  const ds: TempoForm = preset
    ? structuredClone(preset.dataSource)
    : { name: 'Tempo', uid: 'tempo', url: '', nodeGraph: true };
  if (opts.url !== undefined) {
    ds.url = opts.url;
  }
  if (opts.name !== undefined) {
    ds.name = opts.name;
  }
  if (opts.uid !== undefined) {
    ds.uid = opts.uid;
  }
  if (opts.tenant !== undefined) {
    ds.tenant = opts.tenant;
  }
  let auth: AuthForm | undefined = ds.auth;
  if (opts.auth !== undefined) {
    auth = { kind: opts.auth, secretEnv: opts.secretEnv ?? '', headerName: opts.headerName, user: opts.user };
  } else if (auth && opts.secretEnv !== undefined) {
    auth = { ...auth, secretEnv: opts.secretEnv };
  }
  ds.auth = auth;
  if (opts.prometheusUid !== undefined) {
    ds.serviceMapUid = opts.prometheusUid;
    ds.tracesToMetrics = ds.tracesToMetrics
      ? { ...ds.tracesToMetrics, datasourceUid: opts.prometheusUid }
      : { datasourceUid: opts.prometheusUid };
  }
  if (opts.lokiUid !== undefined) {
    ds.tracesToLogs = { datasourceUid: opts.lokiUid, tags: [{ key: 'service.name', value: 'service_name' }] };
  }
  const collector: CollectorForm = preset
    ? structuredClone(preset.collector)
    : { endpoint: otlpFromTempo(ds.url), protocol: 'http' };
  if (opts.otlpProtocol !== undefined) {
    collector.protocol = opts.otlpProtocol;
  }
  if (opts.otlpEndpoint !== undefined) {
    collector.endpoint = opts.otlpEndpoint;
  } else if (opts.url !== undefined && (!preset || opts.otlpProtocol !== undefined)) {
    collector.endpoint = otlpFromTempo(ds.url, collector.protocol);
  }
  if (opts.tenant !== undefined) {
    collector.tenant = opts.tenant;
  }
  if (auth && auth.kind !== 'basic') {
    collector.auth = auth;
  }
  return { dataSource: ds, collector, app: appOf(ds, opts, preset?.app) };
}

function appOf(ds: TempoForm, opts: ProvisionTempoOptions, preset: (typeof PRESETS)[PresetName]['app'] | undefined) {
  return {
    ...(preset ?? {}),
    tempoDatasourceUid: ds.uid,
    ...(opts.prometheusUid !== undefined ? { prometheusDatasourceUid: opts.prometheusUid } : {}),
    ...(opts.url !== undefined ? { tempoUrl: ds.url } : {}),
  };
}

/** Tempo's OTLP receiver on the same host: 4318 for OTLP/HTTP, 4317 for gRPC. */
function otlpFromTempo(url: string, protocol: 'http' | 'grpc' = 'http'): string {
  try {
    const u = new URL(url);
    return protocol === 'http' ? `${u.protocol}//${u.hostname}:4318` : `${u.hostname}:4317`;
  } catch {
    return url;
  }
}

export function addProvisionCommand(program: Command, io: ProvisionIo, setCode: (code: number) => void): void {
  const usage = (message: string) => {
    io.err(`traceway: provision: ${message}\n(run traceway provision --help for usage)\n`);
    setCode(2);
  };
  const provision = program
    .command('provision')
    .description('write Grafana provisioning YAML for Tempo, the app or the Collector, or check a data source file');
  provision
    .command('tempo')
    .description(
      "print a Tempo data source's provisioning YAML (or, with --app or --collector, the app's or the Collector's)"
    )
    .option('--url <url>', "Tempo's HTTP API as Grafana's server reaches it, e.g. http://tempo:3200")
    .option('--name <name>', 'the data source name (default Tempo)')
    .option('--uid <uid>', 'the data source uid (default tempo)')
    .option('--tenant <tenant>', 'the tenant of a multi-tenant Tempo (sent as X-Scope-OrgID)')
    .addOption(new Option('--auth <kind>', 'how Tempo authenticates requests').choices(['bearer', 'basic', 'header']))
    .option('--header-name <name>', 'with --auth header, the header, e.g. PRIVATE-TOKEN')
    .option('--user <name>', 'with --auth basic, the user name')
    .option('--secret-env <VAR>', 'the environment variable holding the token, password or header value')
    .option('--prometheus-uid <uid>', "the Prometheus data source with Tempo's service-graph and span metrics")
    .option('--loki-uid <uid>', 'the Loki data source for trace to logs')
    .addOption(new Option('--preset <name>', 'start from a preset').choices([...PRESET_NAMES]))
    .addOption(new Option('--app', "print the Traceway app's provisioning YAML instead").conflicts('collector'))
    .addOption(
      new Option('--collector', 'print an OpenTelemetry Collector exporter for Tempo instead').conflicts('app')
    )
    .option('--otlp-endpoint <endpoint>', "with --collector, Tempo's OTLP receiver (default: --url's host, 4318)")
    .addOption(
      new Option('--otlp-protocol <protocol>', 'with --collector, otlphttp or gRPC (otlp)').choices(['http', 'grpc'])
    )
    .addHelpText(
      'after',
      '\nSecrets are never written: --secret-env names an environment variable, written as ${VAR} for Grafana\n' +
        'and ${env:VAR} for the Collector; set it where they run.\n\n' +
        'Presets:\n' +
        PRESET_NAMES.map((n) => `  ${n.padEnd(15)}${PRESETS[n].description}\n`).join('') +
        '\nExamples:\n' +
        '  traceway provision tempo --url http://tempo:3200 --prometheus-uid prometheus\n' +
        '  traceway provision tempo --preset multi-tenant --tenant team-a\n' +
        '  traceway provision tempo --url https://tempo.example --auth bearer --secret-env TEMPO_TOKEN\n' +
        '  traceway provision tempo --preset gitlab --collector\n\n' +
        'Exit status: 0 ok, 2 usage error (or options that cannot be written safely).\n'
    )
    .action((opts: ProvisionTempoOptions) => {
      if (opts.url === undefined && opts.preset === undefined) {
        usage('provision tempo needs --url URL (or --preset NAME)');
        return;
      }
      if (opts.auth === undefined && (opts.headerName !== undefined || opts.user !== undefined)) {
        usage('--header-name and --user go with --auth');
        return;
      }
      const forms = formsFromOptions(opts);
      try {
        io.out(
          opts.app
            ? appProvisioningYaml(forms.app)
            : opts.collector
              ? collectorExporterYaml(forms.collector)
              : tempoDataSourceYaml(forms.dataSource)
        );
      } catch (e) {
        if (!(e instanceof ProvisioningFormError)) {
          throw e;
        }
        const option: Record<string, string> = {
          url: '--url',
          uid: '--uid',
          name: '--name',
          tenant: '--tenant',
          'auth.secretEnv': '--secret-env',
          'auth.headerName': '--header-name',
          'auth.user': '--user',
          'auth.kind': '--auth',
          endpoint: '--otlp-endpoint',
        };
        usage(`${option[e.field] ?? e.field} ${e.problem}`);
      }
    });
  provision
    .command('validate')
    .description('check a Grafana data source provisioning file; problems as FILE:LINE:COL: message')
    .argument('<file>', 'the YAML file; - for stdin')
    .addHelpText(
      'after',
      '\nChecks YAML syntax, apiVersion and datasources, unknown keys and wrong types, a Tempo data source without\n' +
        'url, duplicate uids, secrets in jsonData, and (a warning) literal values in secureJsonData.\n\n' +
        'Exit status: 0 no errors (warnings may be printed), 1 errors found or the file cannot be read, 2 usage error.\n'
    )
    .action((file: string) => {
      let text: string;
      try {
        // 0 is stdin: `-` validates what is piped in
        text = readFileSync(file === '-' ? 0 : file, 'utf8');
      } catch (e) {
        const code = e instanceof Error && 'code' in e ? String(e.code) : '';
        const why =
          code === 'ENOENT'
            ? 'no such file'
            : code === 'EISDIR'
              ? 'is a directory'
              : code === 'EACCES'
                ? 'permission denied'
                : code || 'unreadable';
        io.err(`traceway: provision validate: ${file}: cannot read the file: ${why}\n`);
        setCode(1);
        return;
      }
      const result = validateDataSourceYaml(text);
      io.out(formatProblems(file, result));
      setCode(result.errors.some((e) => e.severity === 'error') ? 1 : 0);
    });
}
