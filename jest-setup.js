// Jest setup provided by Grafana scaffolding, for DOM tests only: pure model and client tests
// declare `@jest-environment node`, where the scaffold's DOM shims cannot run.
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
}

// jsdom does not expose structuredClone, which browsers and Node have; dagre (the service map's layered layout)
// uses it. V8's serializer is the same structured clone algorithm.
if (typeof structuredClone === 'undefined') {
  const v8 = require('node:v8');
  global.structuredClone = (value) => v8.deserialize(v8.serialize(value));
}
