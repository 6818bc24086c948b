/** @jest-environment node */
import { parser } from '@grafana/lezer-traceql';

import { edgeTraceQL, serviceTraceQL } from './serviceMapQueries';

/** Positions Grafana's TraceQL grammar (its query editor's) could not read; [] when the query parses. */
function errorsIn(query: string): number[] {
  const at: number[] = [];
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) {
        at.push(node.from);
      }
    },
  });
  return at;
}

it('the grammar check catches a broken query', () => {
  expect(errorsIn('{ resource.service.name = "a" && kind = client } > { resource.service.name = "b }')).not.toEqual([]);
});

describe('serviceTraceQL', () => {
  it('finds the traces of a service, or its errors', () => {
    expect(serviceTraceQL('core')).toBe('{ resource.service.name = "core" }');
    expect(serviceTraceQL('core', { errorsOnly: true })).toBe('{ resource.service.name = "core" && status = error }');
    expect(serviceTraceQL('core', { errorsOnly: false })).toBe('{ resource.service.name = "core" }');
  });

  it('escapes quotes and backslashes so the grammar still reads it', () => {
    const q = serviceTraceQL('we"ird\\name } || { true');
    expect(q).toBe('{ resource.service.name = "we\\"ird\\\\name } || { true" }');
    expect(errorsIn(q)).toEqual([]);
    expect(errorsIn(serviceTraceQL('ünïcode svc', { errorsOnly: true }))).toEqual([]);
  });

  it('refuses a name TraceQL cannot hold, naming it', () => {
    expect(() => serviceTraceQL('two\nlines')).toThrow(
      /^The service "two\\nlines" cannot be searched: A TraceQL string/
    );
  });
});

describe('edgeTraceQL', () => {
  it('is the structural query for a call from client to server', () => {
    const q = edgeTraceQL('gateway', 'core');
    expect(q).toBe(
      '{ resource.service.name = "gateway" && kind = client } > { resource.service.name = "core" && kind = server }'
    );
    expect(errorsIn(q)).toEqual([]);
  });

  it('escapes both names', () => {
    const q = edgeTraceQL('a"b', 'c\\d');
    expect(q).toBe(
      '{ resource.service.name = "a\\"b" && kind = client } > { resource.service.name = "c\\\\d" && kind = server }'
    );
    expect(errorsIn(q)).toEqual([]);
    expect(() => edgeTraceQL('ok', 'bad\u0000')).toThrow(/^The server service "bad\\u0000" cannot be searched/);
  });

  it('by connection type: producer to consumer for messaging; the client spans naming a peer', () => {
    const messaging = edgeTraceQL('core', 'jobservice', { connectionType: 'messaging_system' });
    expect(messaging).toBe(
      '{ resource.service.name = "core" && kind = producer } > { resource.service.name = "jobservice" && kind = consumer }'
    );
    expect(errorsIn(messaging)).toEqual([]);
    const peer = edgeTraceQL('core', 'postgresql', { connectionType: 'virtual_node' });
    expect(peer).toBe(
      '{ resource.service.name = "core" && (kind = client || kind = producer) && (span.peer.service = "postgresql" || ' +
        'span.db.name = "postgresql" || span.db.system = "postgresql" || span.db.system.name = "postgresql" || ' +
        'span.server.address = "postgresql") }'
    );
    expect(errorsIn(peer)).toEqual([]);
    expect(edgeTraceQL('core', 'pg', { connectionType: 'database' })).toContain('span.db.name = "pg"');
    expect(edgeTraceQL('a', 'b', { connectionType: '' })).toBe(edgeTraceQL('a', 'b'));
    // Tempo's `user` node: the root server spans of the service, i.e. the traces entering through it
    const entry = edgeTraceQL('user', 'gateway', { connectionType: 'virtual_node' });
    expect(entry).toBe('{ rootServiceName = "gateway" }');
    expect(errorsIn(entry)).toEqual([]);
  });
});
