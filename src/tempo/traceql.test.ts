import { buildTraceQL, normalizeDuration, traceqlAttribute, traceqlString } from './traceql';

describe('TraceQL builder', () => {
  it('asks for every trace when no field is set', () => {
    expect(buildTraceQL({})).toBe('{}');
    expect(buildTraceQL({ service: '  ', status: 'any', filters: [] })).toBe('{}');
  });

  it('combines service, span name, durations and status in one spanset', () => {
    expect(
      buildTraceQL({
        service: 'core',
        spanName: 'GET /api/v2.0/projects',
        minDuration: '30ms',
        maxDuration: '1.50s',
        status: 'error',
      })
    ).toBe(
      '{ resource.service.name = "core" && name = "GET /api/v2.0/projects" && duration >= 30ms && duration <= 1.5s && status = error }'
    );
    expect(buildTraceQL({ status: 'ok' })).toBe('{ status != error }');
  });

  it('searches a request ID under every key, at span and resource scope, quoting names TraceQL cannot take bare', () => {
    expect(
      buildTraceQL(
        { requestId: '54bda23a-db3c-455f-95da-75a4884fbc28' },
        { requestIdKeys: ['request_id', 'http.request.header.x-request-id'] }
      )
    ).toBe(
      '{ (span.request_id = "54bda23a-db3c-455f-95da-75a4884fbc28" || resource.request_id = "54bda23a-db3c-455f-95da-75a4884fbc28"' +
        ' || span."http.request.header.x-request-id" = "54bda23a-db3c-455f-95da-75a4884fbc28"' +
        ' || resource."http.request.header.x-request-id" = "54bda23a-db3c-455f-95da-75a4884fbc28") }'
    );
    expect(buildTraceQL({ requestId: 'r1' }).match(/ = "r1"/g)).toHaveLength(10);
  });

  it('writes attribute filters with numbers and booleans bare and everything else as an escaped string', () => {
    expect(
      buildTraceQL({
        filters: [
          { scope: 'span', key: 'http.response.status_code', operator: '>=', value: '500' },
          { scope: 'resource', key: 'k8s.namespace.name', operator: '!=', value: 'kube-system' },
          { scope: 'any', key: 'cache.hit', operator: '=', value: 'true' },
          { scope: 'span', key: 'http.route', operator: '=~', value: '/api/.*' },
          { scope: 'span', key: '', operator: '=', value: 'ignored' },
        ],
      })
    ).toBe(
      '{ span.http.response.status_code >= 500 && resource.k8s.namespace.name != "kube-system" && .cache.hit = true && span.http.route =~ "/api/.*" }'
    );
  });

  it('escapes what a user can type into a string: quotes, backslashes, control characters', () => {
    expect(traceqlString('say "hi"\\ now\n\t\u0001')).toBe('"say \\"hi\\"\\\\ now\\n\\t\\u0001"');
    expect(buildTraceQL({ spanName: '" } || { true' })).toBe('{ name = "\\" } || { true" }');
  });

  it('quotes attribute names outside [A-Za-z0-9_.]', () => {
    expect(traceqlAttribute('span', 'x-request-id')).toBe('span."x-request-id"');
    expect(traceqlAttribute('resource', 'service.name')).toBe('resource.service.name');
    expect(traceqlAttribute('span', 'has space"quote')).toBe('span."has space\\"quote"');
    expect(traceqlAttribute('span', '9lives')).toBe('span."9lives"');
  });

  it('normalises Grafana durations and refuses what is not one, naming the field', () => {
    expect(normalizeDuration(' 250 ms ')).toEqual({ duration: '250ms' });
    expect(normalizeDuration('100µs')).toEqual({ duration: '100us' });
    expect(normalizeDuration('2.50m')).toEqual({ duration: '2.5m' });
    expect(normalizeDuration('250')).toEqual({ error: expect.stringContaining('"250" is not a duration') });
    expect(() => buildTraceQL({ maxDuration: '5 parsecs' })).toThrow(
      'The maximum duration: "5 parsecs" is not a duration'
    );
  });
});
