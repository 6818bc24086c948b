import { ScopedVars } from '@grafana/data';
import { DataSourceSrv, setDataSourceSrv } from '@grafana/runtime';

/** A data source as Grafana's registry lists it, with the fields the code under test reads. */
export interface TestDataSource {
  uid: string;
  name: string;
  type: string;
  jsonData?: Record<string, unknown>;
  /** Grafana's default data source: what a reference of null or undefined finds */
  isDefault?: boolean;
}

/** `$ds`, `${ds}`, `${ds:text}` or `[[ds]]`: the variable's name, else undefined. */
const variableName = (ref: string) =>
  /^\$(?:\{(\w+)(?::\w+)?\}|(\w+))$|^\[\[(\w+)\]\]$/.exec(ref)?.slice(1).find(Boolean);

/**
 * Grafana's data source registry as the app sees it (jest has no Grafana): `getInstanceSettings` by UID (a
 * template variable resolved as Grafana does, from the scoped variables, then the dashboard's `variables`;
 * no reference: the default) and `getList` by type, over `list`. Pass a function to change the list between
 * tests (it is read on every call).
 */
export function setTestDataSources(
  list: readonly TestDataSource[] | (() => readonly TestDataSource[]),
  variables: Record<string, string> = {}
): void {
  const current = typeof list === 'function' ? list : () => list;
  setDataSourceSrv({
    getInstanceSettings: (ref: string | { uid?: string } | null | undefined, scopedVars?: ScopedVars) => {
      let uid = typeof ref === 'string' || ref == null ? ref : ref.uid;
      if (uid == null) {
        return current().find((d) => d.isDefault);
      }
      const name = variableName(uid);
      if (name !== undefined) {
        const scoped = scopedVars?.[name]?.value;
        uid = typeof scoped === 'string' ? scoped : variables[name];
      }
      return current().find((d) => d.uid === uid);
    },
    getList: ({ type }: { type?: string } = {}) => current().filter((d) => !type || d.type === type),
  } as unknown as DataSourceSrv);
}
