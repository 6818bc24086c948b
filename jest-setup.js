// Jest setup provided by Grafana scaffolding, for DOM tests only: pure model and client tests
// declare `@jest-environment node`, where the scaffold's DOM shims cannot run.
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
}
