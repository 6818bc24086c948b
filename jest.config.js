// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const fs = require('node:fs');
const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

// `npm test` writes its JSON report here for CI's summary; jest does not create the folder itself.
fs.mkdirSync(`${__dirname}/test-results`, { recursive: true });
const swc = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  projects: [
    {
      ...base,
      displayName: 'plugin',
      // d3-color ships only an .mjs build, which @grafana/data pulls in.
      transform: { ...base.transform, '^.+\\.mjs$': swc },
      // d3-force and its d3 dependencies ship ES modules only (the service map's layout); so does yaml's browser
      // build, which jsdom resolves (the configuration page writes provisioning YAML).
      transformIgnorePatterns: [
        nodeModulesToTransform([...grafanaESModules, 'd3-force', 'd3-quadtree', 'd3-dispatch', 'd3-timer', 'yaml']),
      ],
    },
    {
      // The compose stack's checks read files in Node: no DOM, no React setup.
      displayName: 'stack',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/docker/*.test.ts'],
      transform: { '^.+\\.ts$': swc },
    },
  ],
};
