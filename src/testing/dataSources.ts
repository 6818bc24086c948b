import { DataSourceSrv, setDataSourceSrv } from '@grafana/runtime';

/** A data source as Grafana's registry lists it, with the fields the code under test reads. */
export interface TestDataSource {
  uid: string;
  name: string;
  type: string;
  jsonData?: Record<string, unknown>;
}

/**
 * Grafana's data source registry as the app sees it (jest has no Grafana): `getInstanceSettings` by UID and
 * `getList` by type, over `list`. Pass a function to change the list between tests (it is read on every call).
 */
export function setTestDataSources(list: readonly TestDataSource[] | (() => readonly TestDataSource[])): void {
  const current = typeof list === 'function' ? list : () => list;
  setDataSourceSrv({
    getInstanceSettings: (uid: string) => current().find((d) => d.uid === uid),
    getList: ({ type }: { type?: string } = {}) => current().filter((d) => !type || d.type === type),
  } as unknown as DataSourceSrv);
}
