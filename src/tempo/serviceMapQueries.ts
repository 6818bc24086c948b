import { traceqlString } from './traceql';

/**
 * TraceQL for the service map's links: the traces of a service, and the traces with a call from one
 * service to another. Names are quoted with the Search fields' own escaping (`traceqlString`).
 */

function quoted(what: string, name: string): string {
  try {
    return traceqlString(name);
  } catch (e) {
    throw new Error(`The ${what} ${JSON.stringify(name)} cannot be searched: ${(e as Error).message}.`);
  }
}

/** `{ resource.service.name = "A" }`, or with `&& status = error` for its failed spans only. */
export function serviceTraceQL(service: string, options: { errorsOnly?: boolean } = {}): string {
  const name = `resource.service.name = ${quoted('service', service)}`;
  return options.errorsOnly ? `{ ${name} && status = error }` : `{ ${name} }`;
}

/**
 * The calls from `client` to `server`, as Tempo's service graph pairs them: a client span of one service
 * whose direct child is a server span of the other (TraceQL's `>` is "parent of").
 */
export function edgeTraceQL(client: string, server: string): string {
  return (
    `{ resource.service.name = ${quoted('client service', client)} && kind = client } > ` +
    `{ resource.service.name = ${quoted('server service', server)} && kind = server }`
  );
}
