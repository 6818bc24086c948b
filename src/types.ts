/**
 * The app's settings as provisioned in `jsonData`. The proxy routes in plugin.json read the URLs, the tenant and
 * the secrets, so renaming a key here means renaming it there and in provisioning/plugins/apps.yaml.
 */
export interface AppJsonData {
  tempoDatasourceUid?: string;
  prometheusDatasourceUid?: string;
  tempoUrl?: string;
  prometheusUrl?: string;
  /** The receiver's base URL, without `/v1/traces` (the checks append it). */
  collectorOtlpHttpUrl?: string;
  collectorHealthUrl?: string;
  /** A multi-tenant Tempo's tenant: the `tempo` and `collector-otlp` routes send it as X-Scope-OrgID. */
  tenant?: string;
  /**
   * How the `tempo` route authenticates (EndpointAuthKind). Unset: none, a PRIVATE-TOKEN, or an Authorization value
   * provisioned by hand, which the wizard shows as "provisioned" and keeps as it is.
   */
  tempoAuth?: string;
  /** basic auth's user name (not a secret; the password is only inside `tempoAuthorization`). */
  tempoUser?: string;
  collectorAuth?: string;
  collectorUser?: string;
  prometheusAuth?: string;
  prometheusUser?: string;
  /**
   * Attribute keys that carry a request ID (X-Request-ID), searched at span and resource scope; unset means
   * DEFAULT_REQUEST_ID_KEYS (src/tempo/traceql.ts). The one setting that is not text.
   */
  requestIdKeys?: string[];
}

/** How one endpoint's proxy route authenticates: the header it gets from secureJsonData. */
export type EndpointAuthKind = 'none' | 'basic' | 'bearer' | 'privateToken';

/** The settings that are text (all but requestIdKeys). */
export type AppTextSettingKey = Exclude<keyof AppJsonData, 'requestIdKeys'>;

/**
 * Secrets kept in `secureJsonData`, never read back by the browser: `*Authorization` holds a full Authorization
 * header value (`Basic ...` or `Bearer ...`), `*PrivateToken` the value of a PRIVATE-TOKEN header.
 */
export type AppSecureKey =
  | 'tempoAuthorization'
  | 'tempoPrivateToken'
  | 'prometheusAuthorization'
  | 'collectorAuthorization'
  | 'collectorPrivateToken';

export const APP_SECURE_KEYS: readonly AppSecureKey[] = [
  'tempoAuthorization',
  'tempoPrivateToken',
  'prometheusAuthorization',
  'collectorAuthorization',
  'collectorPrivateToken',
];
