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
  /**
   * Attribute keys that carry a request ID (X-Request-ID), searched at span and resource scope; unset means
   * DEFAULT_REQUEST_ID_KEYS (src/tempo/traceql.ts). The one setting that is not text.
   */
  requestIdKeys?: string[];
}

/** The settings that are text (all but requestIdKeys). */
export type AppTextSettingKey = Exclude<keyof AppJsonData, 'requestIdKeys'>;

/** Secrets kept in `secureJsonData`: full Authorization header values, never read back by the browser. */
export type AppSecureKey = 'tempoAuthorization' | 'prometheusAuthorization' | 'collectorAuthorization';

export const APP_SECURE_KEYS: readonly AppSecureKey[] = [
  'tempoAuthorization',
  'prometheusAuthorization',
  'collectorAuthorization',
];
