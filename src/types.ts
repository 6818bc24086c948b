/**
 * The app's settings as provisioned in `jsonData`. The proxy routes in plugin.json read the URLs,
 * so renaming a key here means renaming it there and in provisioning/plugins/apps.yaml.
 */
export interface AppJsonData {
  tempoDatasourceUid?: string;
  prometheusDatasourceUid?: string;
  tempoUrl?: string;
  prometheusUrl?: string;
  collectorOtlpHttpUrl?: string;
  collectorHealthUrl?: string;
}

/** Secrets kept in `secureJsonData`: full Authorization header values, never read back by the browser. */
export type AppSecureKey = 'tempoAuthorization' | 'prometheusAuthorization' | 'collectorAuthorization';

export const APP_SECURE_KEYS: readonly AppSecureKey[] = [
  'tempoAuthorization',
  'prometheusAuthorization',
  'collectorAuthorization',
];
