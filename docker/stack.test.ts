/** @jest-environment node */
// Static checks of the docker compose demo stack and Grafana provisioning: what can be
// verified without a Docker daemon. Ports are derived from the services' own configs where
// they state them; KNOWN_PORTS below holds the few that come from image defaults.
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

type Yaml = any; // parsed YAML/JSON documents: shape is what these tests check

const ROOT = path.resolve(__dirname, '..');
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
const yaml = (rel: string): Yaml => parse(read(rel));

function filesUnder(rel: string, keep: (name: string) => boolean): string[] {
  return fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true }).flatMap((entry) => {
    const child = path.posix.join(rel, entry.name);
    if (entry.isDirectory()) {
      return entry.name === 'node_modules' ? [] : filesUnder(child, keep);
    }
    return keep(entry.name) ? [child] : [];
  });
}

const compose = yaml('docker-compose.yaml');
const services: Record<string, Yaml> = compose.services;
const tempo = yaml('docker/tempo/tempo.yaml');
const collector = yaml('docker/otel-collector/config.yaml');
const prometheus = yaml('docker/prometheus/prometheus.yml');
const datasources: Yaml[] = yaml('provisioning/datasources/datasources.yaml').datasources;
const apps: Yaml[] = yaml('provisioning/plugins/apps.yaml').apps;
const dashboard = JSON.parse(read('provisioning/dashboards/traceway-demo.json'));
const grafanaDockerfile = read('docker/grafana/Dockerfile');

/** Splits "host:port", "http://host:port/path" or ":port" into host and numeric port. */
function hostPort(address: string): { host: string; port: number } {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  const port = Number(url.port);
  if (!port) {
    throw new Error(`no explicit port in ${address}`);
  }
  return { host: url.hostname, port };
}

// Ports stated by image defaults rather than by a config file in this repository.
const KNOWN_PORTS: Record<string, number[]> = {
  grafana: [3000], // Grafana's default http_port
  prometheus: [9090], // Prometheus's default --web.listen-address
  demo: [8080], // harbor-ui, DEFAULT_PORTS in docker/demo/src/harbor.js
};

const otlpEndpoints = (receivers: Yaml) =>
  Object.values(receivers.otlp.protocols as Record<string, { endpoint: string }>).map((p) => p.endpoint);

const LISTENING: Record<string, number[]> = {
  ...KNOWN_PORTS,
  tempo: [tempo.server.http_listen_port, ...otlpEndpoints(tempo.distributor.receivers).map((e) => hostPort(e).port)],
  'otel-collector': [
    ...otlpEndpoints(collector.receivers).map((e) => hostPort(e).port),
    hostPort(collector.extensions.health_check.endpoint).port,
    ...collector.service.telemetry.metrics.readers.map((r: Yaml) => r.pull.exporter.prometheus.port),
  ],
};

/** Fails unless `address` names a compose service and a port that service listens on. */
function expectReachable(address: string) {
  const { host, port } = hostPort(address);
  expect(Object.keys(services)).toContain(host);
  expect({ address, listening: LISTENING[host] ?? [] }).toEqual({ address, listening: expect.arrayContaining([port]) });
}

describe('YAML files', () => {
  const files = [
    'docker-compose.yaml',
    ...filesUnder('docker', (n) => /\.ya?ml$/.test(n)),
    ...filesUnder('provisioning', (n) => /\.ya?ml$/.test(n)),
  ];

  it('finds the stack configuration', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'docker/tempo/tempo.yaml',
        'docker/otel-collector/config.yaml',
        'docker/prometheus/prometheus.yml',
        'provisioning/datasources/datasources.yaml',
        'provisioning/plugins/apps.yaml',
        'provisioning/dashboards/dashboards.yaml',
      ])
    );
  });

  it.each(files)('%s parses without errors', (file) => {
    const documents = parseAllDocuments(read(file));
    expect(documents.flatMap((d: Yaml) => d.errors.map(String))).toEqual([]);
    expect(documents.map((d: Yaml) => d.toJS())).not.toContain(null);
  });
});

describe('image pins', () => {
  // An exact release: "2.10.6", "v3.13.2", "22.22.2-bookworm-slim". No "latest", no bare "12.4".
  const EXACT = /^[\w.\/-]+:v?\d+\.\d+\.\d+(-[\w.-]+)?$/;
  const dockerfiles = filesUnder('docker', (n) => n === 'Dockerfile');
  const fromImages = dockerfiles.flatMap((file) =>
    [...read(file).matchAll(/^FROM\s+(\S+)/gm)].map((m) => ({ file, image: m[1] }))
  );

  it('checks both Dockerfiles', () => {
    expect(dockerfiles.sort()).toEqual(['docker/demo/Dockerfile', 'docker/grafana/Dockerfile']);
  });

  it.each(Object.entries(services))('service %s is built or uses an exact image tag', (_, service) => {
    if (service.image === undefined) {
      expect(service.build).toBeDefined();
    } else {
      expect(service.image).toMatch(EXACT);
    }
  });

  it.each(fromImages)('$file: FROM $image is an exact tag', ({ image }) => {
    expect(image).toMatch(EXACT);
  });

  it('uses Grafana 12.3 or newer and Node 22 for the plugin build', () => {
    const [, minor] = grafanaDockerfile.match(/^FROM grafana\/grafana:12\.(\d+)\.\d+\s*$/m) ?? [];
    expect(Number(minor)).toBeGreaterThanOrEqual(3);
    expect(grafanaDockerfile).toMatch(/^FROM node:22\.\S+ AS build$/m);
  });
});

describe('addresses point at a service port that is actually listening', () => {
  const app = apps.find((a) => a.type === 'traceway-explorer-app');
  const urlKeys = ['tempoUrl', 'prometheusUrl', 'collectorOtlpHttpUrl', 'collectorHealthUrl'];

  it.each(datasources.map((ds) => [ds.name, ds.url]))('data source %s: %s', (_, url) => expectReachable(url));

  it.each(urlKeys)('app jsonData.%s', (key) => expectReachable(app.jsonData[key]));

  it('collector exporters', () => {
    const endpoints = Object.values(collector.exporters).map((e: Yaml) => e.endpoint);
    expect(endpoints).toHaveLength(1);
    endpoints.forEach(expectReachable);
  });

  it('tempo remote write', () => {
    tempo.metrics_generator.storage.remote_write.forEach((rw: Yaml) => expectReachable(rw.url));
  });

  it('prometheus scrape targets', () => {
    const targets = prometheus.scrape_configs.flatMap((job: Yaml) =>
      job.static_configs.flatMap((c: Yaml) => c.targets)
    );
    expect(targets.length).toBeGreaterThanOrEqual(3);
    targets.forEach(expectReachable);
  });

  it('demo OTLP exporter', () => {
    expectReachable(services.demo.environment.OTEL_EXPORTER_OTLP_ENDPOINT);
  });

  it.each(Object.entries(services).filter(([, s]) => s.healthcheck))('healthcheck of %s', (name, service) => {
    const urls = service.healthcheck.test.join(' ').match(/https?:\/\/[^\s'")]+/g) ?? [];
    expect(urls).toHaveLength(1);
    // 127.0.0.1 probes the container itself; anything else must be another service.
    expectReachable(urls[0].replace(/\/\/(127\.0\.0\.1|localhost):/, `//${name}:`));
  });

  it.each(Object.entries(services).filter(([, s]) => s.ports))('published ports of %s', (name, service) => {
    for (const mapping of service.ports) {
      expectReachable(`${name}:${String(mapping).split(':').pop()}`);
    }
  });

  it('OTLP receivers bind all interfaces (Tempo >=2.7 and the collector default to localhost)', () => {
    for (const endpoint of [...otlpEndpoints(tempo.distributor.receivers), ...otlpEndpoints(collector.receivers)]) {
      expect(hostPort(endpoint).host).toBe('0.0.0.0');
    }
  });
});

describe('Grafana provisioning', () => {
  const uids = new Map(datasources.map((ds) => [ds.uid, ds.type]));
  const ref = (uid: string, type: string) => expect([uid, uids.get(uid)]).toEqual([uid, type]);

  it('provisions Tempo as uid "tempo" and Prometheus as uid "prometheus"', () => {
    expect(Object.fromEntries(uids)).toEqual({ tempo: 'tempo', prometheus: 'prometheus' });
  });

  it('links the data sources to each other by existing uids', () => {
    const tempoDs = datasources.find((ds) => ds.uid === 'tempo');
    const promDs = datasources.find((ds) => ds.uid === 'prometheus');
    ref(tempoDs.jsonData.serviceMap.datasourceUid, 'prometheus');
    ref(tempoDs.jsonData.tracesToMetrics.datasourceUid, 'prometheus');
    expect(tempoDs.jsonData.nodeGraph.enabled).toBe(true);
    promDs.jsonData.exemplarTraceIdDestinations.forEach((d: Yaml) => ref(d.datasourceUid, 'tempo'));
  });

  it('enables the app with exactly the jsonData its proxy routes read, and no secrets', () => {
    expect(apps).toHaveLength(1);
    const [app] = apps;
    expect(app).toMatchObject({ type: 'traceway-explorer-app', disabled: false });
    expect(app.jsonData).toEqual({
      tempoDatasourceUid: 'tempo',
      prometheusDatasourceUid: 'prometheus',
      tempoUrl: 'http://tempo:3200',
      prometheusUrl: 'http://prometheus:9090',
      collectorOtlpHttpUrl: 'http://otel-collector:4318',
      collectorHealthUrl: 'http://otel-collector:13133',
    });
    expect(app.secureJsonData).toBeUndefined();
    ref(app.jsonData.tempoDatasourceUid, 'tempo');
    ref(app.jsonData.prometheusDatasourceUid, 'prometheus');
  });

  it('serves the dashboard directory through a file provider', () => {
    const [provider] = yaml('provisioning/dashboards/dashboards.yaml').providers;
    expect(provider).toMatchObject({ type: 'file', options: { path: '/etc/grafana/provisioning/dashboards' } });
    expect(services.grafana.volumes).toContain('./provisioning:/etc/grafana/provisioning:ro');
  });

  describe('demo dashboard', () => {
    const panels: Yaml[] = dashboard.panels;
    const panel = (type: string) => panels.find((p) => p.type === type);

    it('has the expected uid and a current schema version', () => {
      expect(dashboard.uid).toBe('traceway-demo');
      expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(41);
    });

    it('uses both Traceway panels, with unique ids', () => {
      expect(panels.map((p) => p.type).sort()).toEqual(['traceway-servicemap-panel', 'traceway-waterfall-panel']);
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    });

    it('references only provisioned data sources', () => {
      const refs = panels.flatMap((p) => [p.datasource, ...p.targets.map((t: Yaml) => t.datasource)]);
      expect(refs.length).toBeGreaterThan(0);
      refs.forEach((r) => ref(r.uid, r.type));
    });

    it('drives the waterfall with a TraceQL query of the $traceId textbox', () => {
      const variable = dashboard.templating.list.find((v: Yaml) => v.name === 'traceId');
      expect(variable?.type).toBe('textbox');
      expect(panel('traceway-waterfall-panel').targets).toEqual([
        expect.objectContaining({ queryType: 'traceql', query: '$traceId' }),
      ]);
    });

    it('feeds the service map from Tempo service-graph data', () => {
      expect(panel('traceway-servicemap-panel').targets).toEqual([
        expect.objectContaining({ queryType: 'serviceMap', datasource: { type: 'tempo', uid: 'tempo' } }),
      ]);
    });
  });
});

describe('Grafana service', () => {
  /** The app and every plugin nested in it, from the plugin.json files under src/. */
  const pluginIds = filesUnder('src', (n) => n === 'plugin.json').map((file) => JSON.parse(read(file)).id);

  it('allows exactly the app and its nested panels to load unsigned', () => {
    expect(pluginIds).toContain('traceway-explorer-app');
    const allowed = String(services.grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(',');
    expect(allowed.sort()).toEqual([...pluginIds].sort());
  });

  it('gives anonymous users the Admin role (local demo)', () => {
    expect(services.grafana.environment).toMatchObject({
      GF_AUTH_ANONYMOUS_ENABLED: 'true',
      GF_AUTH_ANONYMOUS_ORG_ROLE: 'Admin',
    });
  });

  it('builds the plugin with npm ci and npm run build, then installs dist/ into Grafana', () => {
    expect(services.grafana.build).toEqual({ context: '.', dockerfile: 'docker/grafana/Dockerfile' });
    expect(grafanaDockerfile).toMatch(/^RUN npm ci$/m);
    expect(grafanaDockerfile).toMatch(/^RUN npm run build$/m);
    expect(grafanaDockerfile).toMatch(
      /^COPY --from=build \/src\/dist \/var\/lib\/grafana\/plugins\/traceway-explorer-app$/m
    );
    expect(read('.dockerignore')).toMatch(/^\*\*\/node_modules$/m);
  });

  it('starts after Tempo is ready and Prometheus is healthy', () => {
    expect(services.grafana.depends_on).toMatchObject({
      'tempo-ready': { condition: 'service_healthy' },
      prometheus: { condition: 'service_healthy' },
    });
    // tempo-ready is only healthy once Tempo's own /ready answers.
    expect(services['tempo-ready'].healthcheck.test.join(' ')).toContain('http://tempo:3200/ready');
  });
});

describe('Tempo and Prometheus configuration', () => {
  it('runs the three metrics-generator processors', () => {
    expect([...tempo.overrides.defaults.metrics_generator.processors].sort()).toEqual([
      'local-blocks',
      'service-graphs',
      'span-metrics',
    ]);
  });

  it('keeps TraceQL metrics working: local-blocks WAL, flush to storage, streaming over HTTP', () => {
    expect(tempo.metrics_generator.traces_storage.path).toMatch(/^\/var\/tempo\//);
    expect(tempo.metrics_generator.processor.local_blocks.flush_to_storage).toBe(true);
    expect(tempo.stream_over_http_enabled).toBe(true);
    expect(tempo.storage.trace.backend).toBe('local');
  });

  it('remote-writes exemplars to a Prometheus that accepts remote write and stores exemplars', () => {
    expect(tempo.metrics_generator.storage.remote_write).toEqual([
      { url: 'http://prometheus:9090/api/v1/write', send_exemplars: true },
    ]);
    expect(services.prometheus.command).toEqual(
      expect.arrayContaining(['--web.enable-remote-write-receiver', '--enable-feature=exemplar-storage'])
    );
  });

  it('sends the collector traces pipeline to Tempo over OTLP gRPC, batched', () => {
    expect(collector.service.pipelines.traces).toEqual({
      receivers: ['otlp'],
      processors: ['batch'],
      exporters: ['otlp_grpc/tempo'],
    });
    expect(collector.exporters['otlp_grpc/tempo'].tls).toEqual({ insecure: true });
    expect(collector.service.extensions).toContain('health_check');
  });
});
