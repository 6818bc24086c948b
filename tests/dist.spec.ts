import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import semver from 'semver';
import { matchRoute, type AppRoute } from '../sandbox/appProxy';

// Checks the built plugin as Grafana will receive it: no browser needed.
const DIST = path.resolve(__dirname, '..', 'dist');
const read = (rel: string) => readFileSync(path.join(DIST, rel), 'utf8');

const MODULES = ['module.js', 'panels/waterfall/module.js', 'panels/servicemap/module.js'];
const HOST_PACKAGES = ['react', '@grafana/data', '@grafana/ui'];

/** The dependency list of the AMD define() call that opens a webpack AMD bundle. */
function amdDependencies(source: string): string[] {
  const match = source.match(/define\((\[[^\]]*\])\s*,/);
  expect(match, 'an AMD define([...], factory) call').not.toBeNull();
  return JSON.parse(match![1]);
}

test.describe('dist', () => {
  for (const file of MODULES) {
    test(`${file} is an AMD module that takes React and Grafana's packages from the host`, () => {
      const source = read(file);
      const deps = amdDependencies(source);
      for (const pkg of HOST_PACKAGES) {
        expect(deps).toContain(pkg);
      }
    });
  }

  test('no file in dist bundles its own React or @grafana/ui', () => {
    const files = readdirSync(DIST, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThanOrEqual(MODULES.length);
    for (const file of files) {
      const source = read(file);
      // String literals that survive minification: React's internals and @grafana/ui's test IDs.
      expect(source, file).not.toContain('__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED');
      expect(source, file).not.toContain('data-testid Panel header');
    }
  });

  test('every plugin.json names its id, version and logos that exist', () => {
    const expected: Record<string, string> = {
      'plugin.json': 'traceway-explorer-app',
      'panels/waterfall/plugin.json': 'traceway-waterfall-panel',
      'panels/servicemap/plugin.json': 'traceway-servicemap-panel',
    };
    const version = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')).version;
    for (const [file, id] of Object.entries(expected)) {
      const json = JSON.parse(read(file));
      expect(json.id).toBe(id);
      expect(json.info.version).toBe(version);
      expect(json.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // The Grafana versions the sandbox hosts test (README, "Tested Grafana versions") are in the range.
      const range = json.dependencies.grafanaDependency;
      expect(semver.validRange(range), `${file}: ${range}`).not.toBeNull();
      // One dist for every host: the app and its nested panels claim the same range.
      expect(range, file).toBe(JSON.parse(read('plugin.json')).dependencies.grafanaDependency);
      for (const tested of ['12.3.0', '12.4.10', '13.2.3']) {
        expect(semver.satisfies(tested, range), `${file}: ${tested} in ${range}`).toBe(true);
      }
      expect(semver.satisfies('12.2.0', range), `${file}: 12.2.0 in ${range}`).toBe(false);
      for (const logo of [json.info.logos.small, json.info.logos.large]) {
        expect(existsSync(path.join(DIST, path.dirname(file), logo)), `${file}: ${logo}`).toBe(true);
      }
    }
  });

  test('the app states the tested Grafana range and ships the screenshots it lists', () => {
    const app = JSON.parse(read('plugin.json'));
    expect(app.dependencies.grafanaDependency).toBe('>=12.3.0 <14.0.0');
    expect(app.info.screenshots.length).toBeGreaterThan(0);
    for (const { name, path: file } of app.info.screenshots) {
      expect(name, file).toBeTruthy();
      expect(existsSync(path.join(DIST, file)), `dist/${file}`).toBe(true);
    }
  });

  test('the app declares its panels, pages and admin-only proxy routes', () => {
    const app = JSON.parse(read('plugin.json'));
    const pages = app.includes.filter((i: { type: string }) => i.type === 'page').map((i: { path: string }) => i.path);
    expect(pages).toEqual([
      '/a/traceway-explorer-app/search',
      '/a/traceway-explorer-app/service-map',
      '/a/traceway-explorer-app/compare',
      '/a/traceway-explorer-app/trace',
      '/plugins/traceway-explorer-app',
    ]);
    expect(app.includes.filter((i: { type: string }) => i.type === 'panel')).toHaveLength(2);
    // Grafana matches app routes with its router tree, segment by segment (a final `*` takes the rest): Tempo's
    // routes reach only /ready and /api/..., never /shutdown or /flush on the same port.
    expect(app.routes.map((r: { path: string }) => r.path)).toEqual([
      'tempo/ready',
      'tempo/api/*',
      'tenantless-tempo/api/*',
      'collector-otlp/*',
      'collector-health',
      'prometheus/*',
    ]);
    for (const route of app.routes) {
      expect(route.reqRole, `route ${route.path}`).toBe('Admin');
      expect(route.url).toMatch(/^\{\{ \.JsonData\.\w+ \}\}(\/ready|\/api)?$/);
      for (const header of route.headers ?? []) {
        // Credentials come from encrypted settings only, never from jsonData; only the tenant is plain. `orEmpty`
        // sends an unset one as "" where Go's template would print "<no value>".
        const source = header.name === 'X-Scope-OrgID' ? 'JsonData\\.tenant' : 'SecureJsonData\\.\\w+';
        expect(header.content, `route ${route.path} header ${header.name}`).toMatch(
          new RegExp(`^\\{\\{ \\.${source} \\| orEmpty \\}\\}$`)
        );
      }
    }
  });

  test('only the Collector route takes anything but GET, and Tempo\'s admin endpoints match no route', () => {
    const routes: AppRoute[] = JSON.parse(read('plugin.json')).routes;
    // A GET is sent on any link an Admin follows (no CSRF check, a SameSite=Lax cookie): it must change nothing.
    for (const route of routes) {
      expect(route.method, `route ${route.path}`).toBe(route.path === 'collector-otlp/*' ? 'POST' : 'GET');
    }
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      for (const p of [
        'tempo/shutdown',
        'tempo/flush',
        'tempo/ingester/shutdown',
        'tenantless-tempo/shutdown',
        'tenantless-tempo/flush',
        'tempo/api/../shutdown',
        'tempo/ready/x',
      ]) {
        expect(matchRoute(routes, method, p), `${method} ${p}`).toBeUndefined();
      }
    }
    expect(matchRoute(routes, 'POST', 'tempo/api/search')).toBeUndefined();
    expect(matchRoute(routes, 'GET', 'collector-otlp/v1/traces')).toBeUndefined();
    // What the checks and the canary ask still routes, with the rest appended to the route's url.
    const asked: Array<[string, string, string, string]> = [
      ['GET', 'tempo/ready', 'tempo/ready', ''],
      ['GET', 'tempo/api/echo', 'tempo/api/*', 'echo'],
      ['GET', 'tempo/api/status/buildinfo', 'tempo/api/*', 'status/buildinfo'],
      ['GET', 'tempo/api/search', 'tempo/api/*', 'search'],
      ['GET', 'tempo/api/v2/search/tags', 'tempo/api/*', 'v2/search/tags'],
      ['GET', 'tempo/api/metrics/query_range', 'tempo/api/*', 'metrics/query_range'],
      ['GET', 'tempo/api/v2/traces/0af7651916cd43dd8448eb211c80319c', 'tempo/api/*', 'v2/traces/0af7651916cd43dd8448eb211c80319c'],
      ['GET', 'tempo/api/traces/0af7651916cd43dd8448eb211c80319c', 'tempo/api/*', 'traces/0af7651916cd43dd8448eb211c80319c'],
      ['GET', 'tenantless-tempo/api/search', 'tenantless-tempo/api/*', 'search'],
      ['POST', 'collector-otlp/v1/traces', 'collector-otlp/*', 'v1/traces'],
      ['GET', 'collector-health', 'collector-health', ''],
      ['GET', 'prometheus/api/v1/query', 'prometheus/*', 'api/v1/query'],
    ];
    for (const [method, p, route, rest] of asked) {
      const match = matchRoute(routes, method, p);
      expect(match?.route.path, `${method} ${p}`).toBe(route);
      expect(match?.rest, `${method} ${p}`).toBe(rest);
    }
  });
});
