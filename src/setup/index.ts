export * from './provisioning';
export * from './presets';
export * from './validate';
export { urlProblem } from './url';
export type { UrlProblem } from './url';
export * from './checks';
