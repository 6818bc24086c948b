import { PEER_ATTRIBUTES, USER_NODE } from '../trace/graph';
import { traceqlAttribute, traceqlString } from './traceql';

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
 * whose direct child is a server span of the other (TraceQL's `>` is "parent of"). With the edge's connection
 * type: `messaging_system` pairs a producer with its consumer; `virtual_node` (a database or uninstrumented peer,
 * which writes no spans) is the client or producer spans that name the peer in one of the attributes Tempo reads for it;
 * from `user` (Tempo's node for a trace's root server span) it is the traces whose root is in the server.
 */
export function edgeTraceQL(client: string, server: string, options: { connectionType?: string } = {}): string {
  if (client === USER_NODE && options.connectionType === 'virtual_node') {
    return `{ rootServiceName = ${quoted('server service', server)} }`;
  }
  const from = `resource.service.name = ${quoted('client service', client)}`;
  if (options.connectionType === 'virtual_node' || options.connectionType === 'database') {
    const peer = quoted('peer', server);
    const named = PEER_ATTRIBUTES.map((key) => `${traceqlAttribute('span', key)} = ${peer}`).join(' || ');
    // Producer spans name peers too (a queue the tracing does not reach): graph.ts counts them as client side.
    return `{ ${from} && (kind = client || kind = producer) && (${named}) }`;
  }
  const to = `resource.service.name = ${quoted('server service', server)}`;
  return options.connectionType === 'messaging_system'
    ? `{ ${from} && kind = producer } > { ${to} && kind = consumer }`
    : `{ ${from} && kind = client } > { ${to} && kind = server }`;
}
