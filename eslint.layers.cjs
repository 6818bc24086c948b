/*
 * The layers of src/, one direction of dependency (see README.md, "Layout"):
 *   trace, http  <-  tempo, prometheus, setup  <-  grafana  <-  components  <-  panels, pages  <-  app
 * and the CLI beside the UI, over the same non-UI layers. src/extensions (the links Grafana shows on its
 * own pages) runs on every Grafana page because the app preloads: routes and small pure modules only.
 * src/testing is for tests only.
 * Each folder lists the folders and libraries it must not import; a test file may also use src/testing.
 */
const UI_LIBS = [
  { name: 'react', message: 'React belongs to the UI (components, pages, panels, app).' },
  { name: 'react-dom', message: 'React belongs to the UI (components, pages, panels, app).' },
  { name: 'react-router-dom', message: 'Routing belongs to the UI; build links with src/routes.ts.' },
  { name: '@grafana/ui', message: '@grafana/ui belongs to the UI.' },
  { name: '@emotion/css', message: 'Styles belong to the UI.' },
];
const RUNTIME = [
  { name: '@grafana/runtime', message: "Grafana's runtime is reached only from src/grafana and the UI." },
];
// Type imports describe data shapes; values from @grafana/data would tie the layer to Grafana.
const GRAFANA_DATA = [
  { name: '@grafana/data', allowTypeImports: true, message: 'Only type imports of @grafana/data here.' },
];

function folders(names, why) {
  return { regex: `^(\\.\\./)+(${names.join('|')})(/.*)?$`, message: why };
}

const TESTING = folders(['testing'], 'src/testing is for tests only (Node servers, generated traces).');

function layer(files, libs, forbidden, why) {
  const rule = (dirs) => [
    'error',
    {
      paths: libs,
      patterns: [
        folders(
          dirs.filter((d) => d !== 'testing'),
          why
        ),
        ...(dirs.includes('testing') ? [TESTING] : []),
      ],
    },
  ];
  const tests = ['**/*.test.ts', '**/*.test.tsx'];
  return [
    { files, ignores: tests, rules: { '@typescript-eslint/no-restricted-imports': rule([...forbidden, 'testing']) } },
    {
      files: files.flatMap((f) => tests.map((t) => `${f.replace(/\/\*\*.*$/, '')}/${t}`)),
      rules: { '@typescript-eslint/no-restricted-imports': rule(forbidden) },
    },
  ];
}

const UI = ['components', 'pages', 'panels', 'app', 'routes', 'extensions'];
module.exports = [
  ...layer(
    ['src/trace/**'],
    [...UI_LIBS, ...RUNTIME, ...GRAFANA_DATA],
    ['http', 'tempo', 'prometheus', 'setup', 'grafana', 'cli', ...UI],
    'src/trace is the model: pure TypeScript that imports no other layer.'
  ),
  ...layer(
    ['src/http/**'],
    [...UI_LIBS, ...RUNTIME, ...GRAFANA_DATA],
    ['trace', 'tempo', 'prometheus', 'setup', 'grafana', 'cli', ...UI],
    'src/http is transport only: it imports no other layer.'
  ),
  ...layer(
    ['src/tempo/**', 'src/prometheus/**', 'src/setup/**'],
    [...UI_LIBS, ...RUNTIME, ...GRAFANA_DATA],
    ['grafana', 'cli', ...UI],
    'Clients and checks use src/http and src/trace only; Grafana and the UI call them, not the other way.'
  ),
  ...layer(
    ['src/grafana/**'],
    UI_LIBS,
    ['cli', ...UI],
    'src/grafana is below the UI: the UI imports it, not the other way.'
  ),
  ...layer(
    ['src/cli/**'],
    [...UI_LIBS, ...RUNTIME],
    ['grafana', ...UI],
    'The CLI runs in Node over the non-UI layers: no Grafana runtime, no UI.'
  ),
  ...layer(
    ['src/extensions/**'],
    [...UI_LIBS, ...RUNTIME],
    ['grafana', 'http', 'cli', 'components', 'pages', 'panels', 'app'],
    'src/extensions is preloaded on every Grafana page: it builds links from src/routes.ts and small pure modules, never the UI.'
  ),
  ...layer(
    ['src/components/**'],
    [],
    ['pages', 'panels', 'app', 'cli'],
    'Components are used by pages and panels, never the reverse.'
  ),
  ...layer(
    ['src/panels/**'],
    [],
    ['pages', 'app', 'cli'],
    'Panels use components; pages and the app shell are not theirs to import.'
  ),
  ...layer(
    ['src/pages/**'],
    [],
    ['panels', 'app', 'cli'],
    'Pages use components; the app shell (src/app) imports pages.'
  ),
];
