/**
 * Checks Grafana data source provisioning YAML before Grafana loads it, with the line and column of each problem
 * (the `yaml` package keeps node positions). Secrets are never quoted back in a message.
 */
import { LineCounter, Node, Pair, Scalar, YAMLMap, isMap, isScalar, isSeq, parseDocument } from 'yaml';

import { TENANT_HEADER } from './provisioning';

export interface ValidationProblem {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  /** Where in the document, e.g. `datasources[0].jsonData.password`. */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

export interface ValidationResult {
  errors: ValidationProblem[];
}

type Kind = 'string' | 'boolean' | 'number' | 'map';

/** The keys Grafana reads from one entry of `datasources:` (apiVersion 1), and their types. */
const DATASOURCE_KEYS: Record<string, Kind> = {
  name: 'string',
  type: 'string',
  uid: 'string',
  access: 'string',
  orgId: 'number',
  url: 'string',
  user: 'string',
  database: 'string',
  basicAuth: 'boolean',
  basicAuthUser: 'string',
  withCredentials: 'boolean',
  isDefault: 'boolean',
  jsonData: 'map',
  secureJsonData: 'map',
  version: 'number',
  editable: 'boolean',
};
const TOP_KEYS = new Set(['apiVersion', 'datasources', 'deleteDatasources', 'prune']);
/** Names that merely mention a secret: where to get a token, who logs in, which header. */
const NOT_SECRET = /(url|uri|path|file|name|user|type|header|method)$/i;
const SECRET_KEY = /pass(word)?|token|authori[sz]ation|api[-_]?key|secret|credential/i;

function kindOf(node: unknown): Kind | 'list' | 'null' | 'other' {
  if (isMap(node)) {
    return 'map';
  }
  if (isSeq(node)) {
    return 'list';
  }
  if (isScalar(node)) {
    const v = node.value;
    return v === null
      ? 'null'
      : typeof v === 'string'
        ? 'string'
        : typeof v === 'boolean'
          ? 'boolean'
          : typeof v === 'number'
            ? 'number'
            : 'other';
  }
  return 'other';
}

const A = (k: string) => (/^[aeiou]/.test(k) ? `an ${k}` : `a ${k}`);

export function validateDataSourceYaml(text: string): ValidationResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const errors: ValidationProblem[] = [];
  const at = (offset: number | undefined) => {
    const p = lineCounter.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  const report = (
    node: Node | Pair | null | undefined,
    path: string,
    message: string,
    severity: 'error' | 'warning' = 'error'
  ) => {
    const n = (node && 'range' in node ? node : (node as Pair | null)?.key) as Node | null | undefined;
    errors.push({ ...at(n?.range?.[0]), path, message, severity });
  };
  for (const e of [...doc.errors, ...doc.warnings]) {
    const isErr = doc.errors.includes(e as never);
    const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    errors.push({
      ...at(e.pos[0]),
      path: '',
      message: `YAML ${isErr ? 'syntax error' : 'warning'}: ${msg}`,
      severity: isErr ? 'error' : 'warning',
    });
  }
  if (doc.errors.length > 0) {
    return { errors };
  }
  const root = doc.contents;
  if (!isMap(root)) {
    report(root as Node, '', 'expected a mapping with apiVersion: 1 and datasources: (a list of data sources)');
    return { errors };
  }
  const keyPos = (map: YAMLMap, key: string) => map.items.find((p) => isScalar(p.key) && p.key.value === key);
  for (const pair of root.items) {
    const k = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!TOP_KEYS.has(k)) {
      report(
        pair.key as Node,
        k,
        `unknown top-level key ${JSON.stringify(k)}: Grafana reads apiVersion, datasources, deleteDatasources and prune`
      );
    }
  }
  const api = root.get('apiVersion', true);
  if (api === undefined) {
    report(root, 'apiVersion', 'apiVersion is missing: add apiVersion: 1 at the top');
  } else if (!(isScalar(api) && (api as Scalar).value === 1)) {
    report(api as Node, 'apiVersion', 'apiVersion must be 1 (the only version Grafana reads)');
  }
  const list = root.get('datasources', true);
  if (list === undefined) {
    if (!root.has('deleteDatasources')) {
      report(root, 'datasources', 'datasources is missing: add datasources: with a list of data sources');
    }
    return { errors };
  }
  if (!isSeq(list)) {
    report(list as Node, 'datasources', `datasources must be a list (- name: ...), got ${A(kindOf(list))}`);
    return { errors };
  }
  const uids = new Map<string, number>();
  list.items.forEach((item, i) => {
    const base = `datasources[${i}]`;
    if (!isMap(item)) {
      report(item as Node, base, `each data source must be a mapping with name, type and url, got ${A(kindOf(item))}`);
      return;
    }
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const path = `${base}.${key}`;
      const want = DATASOURCE_KEYS[key];
      if (want === undefined) {
        const hint = SECRET_KEY.test(key)
          ? ': put secrets under secureJsonData as an environment variable reference, e.g. $TEMPO_TOKEN'
          : `: Grafana ignores it. Known keys: ${Object.keys(DATASOURCE_KEYS).join(', ')}`;
        report(pair.key as Node, path, `unknown data source key ${JSON.stringify(key)}${hint}`);
        continue;
      }
      const got = kindOf(pair.value);
      if (got !== want) {
        report(
          (pair.value ?? pair.key) as Node,
          path,
          `${key} must be ${A(want)}, got ${A(got)}${want === 'boolean' ? ' (true or false, unquoted)' : ''}`
        );
      }
    }
    const name = item.get('name');
    if (name === undefined) {
      report(item, `${base}.name`, 'name is missing: every data source needs a name');
    }
    const type = item.get('type');
    if (type === undefined) {
      report(item, `${base}.type`, 'type is missing, e.g. type: tempo');
    }
    const url = item.get('url');
    if (type === 'tempo' && (url === undefined || url === null || url === '')) {
      report(
        item,
        `${base}.url`,
        "url is missing: a Tempo data source needs Tempo's HTTP address, e.g. url: http://tempo:3200"
      );
    } else if (typeof url === 'string' && url !== '' && !/^https?:\/\/[^\s/]+/.test(url) && !url.startsWith('$')) {
      report(
        keyPos(item, 'url')?.value as Node,
        `${base}.url`,
        'url must be an http:// or https:// address with a host, e.g. http://tempo:3200'
      );
    }
    const uid = item.get('uid');
    if (typeof uid === 'string') {
      const first = uids.get(uid);
      if (first !== undefined) {
        report(
          keyPos(item, 'uid')?.value as Node,
          `${base}.uid`,
          `duplicate uid ${JSON.stringify(uid)}: datasources[${first}] has it too; each uid must be unique`
        );
      } else {
        uids.set(uid, i);
      }
    }
    const access = keyPos(item, 'access')?.value;
    if (isScalar(access) && access.value !== 'proxy' && access.value !== 'direct') {
      report(access, `${base}.access`, "access must be proxy (Grafana's server calls the data source) or direct");
    }
    const jsonData = item.get('jsonData', true);
    if (isMap(jsonData) && type === 'tempo') {
      checkTempoJsonData(jsonData, `${base}.jsonData`, report);
    }
    if (isMap(jsonData)) {
      checkJsonData(jsonData, `${base}.jsonData`, report);
    }
    const secure = item.get('secureJsonData', true);
    if (isMap(secure)) {
      checkSecure(secure, isMap(jsonData) ? jsonData : undefined, `${base}.secureJsonData`, report);
    }
  });
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return { errors };
}

/** The Tempo data source's settings that are objects: `nodeGraph: true` is a common slip for `enabled: true`. */
const TEMPO_MAPS: Record<string, string> = {
  tracesToLogsV2: 'datasourceUid: loki',
  tracesToMetrics: 'datasourceUid: prometheus',
  tracesToProfiles: 'datasourceUid: pyroscope',
  serviceMap: 'datasourceUid: prometheus',
  nodeGraph: 'enabled: true',
  search: 'hide: false',
  streamingEnabled: 'search: true',
  traceQuery: 'timeShiftEnabled: true',
  spanBar: 'type: Duration',
  lokiSearch: 'datasourceUid: loki',
};

function checkTempoJsonData(map: YAMLMap, path: string, report: Report): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const example = TEMPO_MAPS[key];
    if (example !== undefined && !isMap(pair.value)) {
      report(
        (pair.value ?? pair.key) as Node,
        `${path}.${key}`,
        `${key} must be a map, got ${A(kindOf(pair.value))}: e.g. ${key}: { ${example} }`
      );
    }
    if (key === 'tracesToLogs') {
      report(
        pair.key as Node,
        `${path}.${key}`,
        'tracesToLogs is the old form of trace to logs: Grafana reads tracesToLogsV2 (datasourceUid, tags, ...)',
        'warning'
      );
    }
  }
}

type Report = (node: Node | null | undefined, path: string, message: string, severity?: 'error' | 'warning') => void;

/** Secrets do not belong in jsonData: Grafana stores it in clear and sends it to the browser. */
function checkJsonData(map: YAMLMap, path: string, report: Report): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const p = `${path}.${key}`;
    if (/^httpHeaderValue\d+$/.test(key)) {
      report(
        pair.key as Node,
        p,
        `${key} is a header value in jsonData, which Grafana stores in clear and sends to the browser: move it to secureJsonData`
      );
    } else if (SECRET_KEY.test(key) && kindOf(pair.value) === 'string' && !NOT_SECRET.test(key)) {
      report(
        pair.key as Node,
        p,
        `${key} looks like a secret in jsonData, which Grafana stores in clear and sends to the browser: move it to secureJsonData as an environment variable reference, e.g. $TEMPO_TOKEN`
      );
    } else if (isMap(pair.value)) {
      checkJsonData(pair.value, p, report);
    } else if (isSeq(pair.value)) {
      pair.value.items.forEach((it, i) => isMap(it) && checkJsonData(it, `${p}[${i}]`, report));
    }
  }
}

/** secureJsonData is for secrets from the environment: `$VAR` / `${VAR}`, never the secret typed in. */
function checkSecure(map: YAMLMap, jsonData: YAMLMap | undefined, path: string, report: Report): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const p = `${path}.${key}`;
    const value = pair.value;
    if (!(isScalar(value) && typeof (value as Scalar).value === 'string')) {
      report((value ?? pair.key) as Node, p, `${key} must be a string, got ${A(kindOf(value))}`);
      continue;
    }
    const n = /^httpHeaderValue(\d+)$/.exec(key)?.[1];
    if (n !== undefined && jsonData) {
      const headerName = jsonData.get(`httpHeaderName${n}`);
      if (headerName === undefined) {
        report(pair.key as Node, p, `${key} has no httpHeaderName${n} in jsonData: add the header's name there`);
        continue;
      }
      if (typeof headerName === 'string' && headerName.toLowerCase() === TENANT_HEADER.toLowerCase()) {
        continue; // the tenant is an ID, not a secret
      }
    }
    if (!/\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_])/.test(String((value as Scalar).value))) {
      report(
        value as Node,
        p,
        `${key} holds a literal value: a secret in a provisioning file ends up in version control; use an environment variable reference such as $TEMPO_TOKEN and set it where Grafana runs`,
        'warning'
      );
    }
  }
}

/** `FILE:LINE:COL: [warning: ]message` lines, as compilers print them. */
export function formatProblems(file: string, result: ValidationResult): string {
  return result.errors
    .map(
      (e) =>
        `${file}:${e.line}:${e.column}: ${e.severity === 'warning' ? 'warning: ' : ''}${e.path ? `${e.path}: ` : ''}${e.message}\n`
    )
    .join('');
}
