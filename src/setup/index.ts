export * from './provisioning';
export * from './presets';
export * from './validate';
export * from './checks';
