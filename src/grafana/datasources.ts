import { getDataSourceSrv } from '@grafana/runtime';

export interface DataSourceRef {
  uid: string;
  name: string;
  type: string;
}

/** The data source with this UID as Grafana knows it, or undefined: a lookup in memory, no request. */
export function findDataSource(uid: string): DataSourceRef | undefined {
  const ds = getDataSourceSrv().getInstanceSettings(uid);
  // getInstanceSettings also answers to names; only an exact UID counts here.
  return ds && ds.uid === uid ? { uid: ds.uid, name: ds.name, type: ds.type } : undefined;
}

/** Every data source of one type (e.g. 'tempo'), for pickers and for pointing at the right one. */
export function dataSourcesOfType(type: string): DataSourceRef[] {
  return getDataSourceSrv()
    .getList({ type })
    .map((ds) => ({ uid: ds.uid, name: ds.name, type: ds.type }));
}

/**
 * Why a UID cannot be used as a Tempo data source, or undefined when it can. The message names the
 * UID and says where to fix it.
 */
export function tempoDataSourceProblem(uid: string): string | undefined {
  const ds = findDataSource(uid);
  if (!ds) {
    const tempos = dataSourcesOfType('tempo');
    const hint =
      tempos.length > 0
        ? `Tempo data sources here: ${tempos.map((t) => `"${t.name}" (uid ${t.uid})`).join(', ')}.`
        : 'There is no Tempo data source in this organization: add one under Connections > Data sources.';
    return `There is no data source with UID "${uid}". ${hint} Set the UID on Traceway's configuration page.`;
  }
  if (ds.type !== 'tempo') {
    return `Data source "${ds.name}" (uid ${uid}) is a ${ds.type} data source, not Tempo. Set a Tempo data source on Traceway's configuration page.`;
  }
  return undefined;
}
