// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const swc = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  projects: [
    {
      ...base,
      displayName: 'plugin',
      // d3-color ships only an .mjs build, which @grafana/data pulls in.
      transform: { ...base.transform, '^.+\\.mjs$': swc },
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
