import { buildTraceQL, errorCompanionQuery, normalizeDuration, traceqlAttribute, traceqlString } from './traceql';

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

  it('escapes what a user can type into a string: quotes and backslashes; tabs and control characters stay as they are', () => {
    // \\ and \" are the only escapes both Tempo's quoted names and Grafana's grammar accept.
    expect(traceqlString('say "hi"\\ now\t\r\u0001\u007f')).toBe('"say \\"hi\\"\\\\ now\t\r\u0001\u007f"');
    expect(buildTraceQL({ spanName: '" } || { true' })).toBe('{ name = "\\" } || { true" }');
    expect(traceqlString('é 😀 \u2028')).toBe('"é 😀 \u2028"');
  });

  it('refuses a line break, NUL or an unpaired surrogate, naming the field', () => {
    expect(() => buildTraceQL({ spanName: 'GET\n/api' })).toThrow(
      'The span name holds a line break, which a TraceQL query cannot search for: remove it'
    );
    expect(() => buildTraceQL({ service: 'a\0b' })).toThrow('The service holds a NUL character');
    expect(() => buildTraceQL({ requestId: 'r\ud800' })).toThrow('The request ID holds an unpaired UTF-16 surrogate');
    expect(() => buildTraceQL({ filters: [{ scope: 'span', key: 'k', operator: '=', value: 'a\nb' }] })).toThrow(
      'The value of k holds a line break'
    );
    expect(() => traceqlString('\n')).toThrow('A TraceQL string cannot hold a line break');
    // A pair is one character, not a problem.
    expect(buildTraceQL({ requestId: '\ud83d\ude00' })).toContain('"😀"');
  });

  it('writes numbers as Go reads them: no leading zeros, no exponent, int64 or a float', () => {
    const value = (v: string) =>
      buildTraceQL({ filters: [{ scope: 'span', key: 'n', operator: '>', value: v }] }).slice(11, -2);
    expect(value('007')).toBe('7');
    expect(value('-0')).toBe('0');
    expect(value('-0.50')).toBe('-0.5');
    expect(value('1.000')).toBe('1');
    expect(value('0.0000001')).toBe('0.0000001');
    expect(value('9223372036854775807')).toBe('9223372036854775807');
    expect(value('9223372036854775808')).toBe('9223372036854775808.0');
    expect(value('1' + '0'.repeat(25))).toBe('1' + '0'.repeat(25) + '.0');
    expect(value(' 500 ')).toBe('500');
    expect(value('1e5')).toBe('"1e5"');
  });

  it('ignores blank request ID keys and uses the defaults when none is left', () => {
    expect(buildTraceQL({ requestId: 'r' }, { requestIdKeys: [' ', 'rid '] })).toBe(
      '{ (span.rid = "r" || resource.rid = "r") }'
    );
    expect(buildTraceQL({ requestId: 'r' }, { requestIdKeys: [''] })).toBe(buildTraceQL({ requestId: 'r' }));
  });

  it('builds the companion query that marks failed traces, unless the search filters by status', () => {
    expect(errorCompanionQuery({})).toBe('{ status = error }');
    expect(errorCompanionQuery({ status: 'any', service: 'core', minDuration: '30ms' })).toBe(
      '{ resource.service.name = "core" && duration >= 30ms } && { status = error }'
    );
    expect(errorCompanionQuery({ requestId: 'r' }, { requestIdKeys: ['rid'] })).toBe(
      '{ (span.rid = "r" || resource.rid = "r") } && { status = error }'
    );
    expect(errorCompanionQuery({ service: 'core', status: 'error' })).toBeUndefined();
    expect(errorCompanionQuery({ service: 'core', status: 'ok' })).toBeUndefined();
  });

  it('builds the companion query for TraceQL text only when it is one spanset filter', () => {
    expect(errorCompanionQuery(' {} ')).toBe('{ status = error }');
    expect(errorCompanionQuery('{ name = "}{" && span.a = "\\"}" }')).toBe(
      '{ name = "}{" && span.a = "\\"}" } && { status = error }'
    );
    expect(errorCompanionQuery('{ .a = 1 } || { .b = 2 }')).toBeUndefined();
    expect(errorCompanionQuery('{ .a = 1 } | select(span.b)')).toBeUndefined();
    expect(errorCompanionQuery('{ .a = "unclosed }')).toBeUndefined();
    expect(errorCompanionQuery('{ .a = 1 }}')).toBeUndefined();
    expect(errorCompanionQuery('')).toBeUndefined();
  });

  it('quotes attribute names outside [A-Za-z0-9_.]', () => {
    expect(traceqlAttribute('span', 'x-request-id')).toBe('span."x-request-id"');
    expect(traceqlAttribute('resource', 'service.name')).toBe('resource.service.name');
    expect(traceqlAttribute('span', 'has space"quote')).toBe('span."has space\\"quote"');
    expect(traceqlAttribute('span', '9lives')).toBe('span."9lives"');
    expect(traceqlAttribute('span', 'a\tb\\')).toBe('span."a\tb\\\\"');
  });

  it("quotes names Grafana's grammar would read as a keyword (span, resource, event, parent, link, ...)", () => {
    expect(traceqlAttribute('span', 'span.kind.custom')).toBe('span."span.kind.custom"');
    expect(traceqlAttribute('any', 'resources')).toBe('."resources"');
    expect(traceqlAttribute('resource', 'instrumentation.name')).toBe('resource."instrumentation.name"');
    expect(traceqlAttribute('span', 'eventual')).toBe('span."eventual"');
    expect(traceqlAttribute('span', 'my.span')).toBe('span.my.span');
  });

  it('normalises Grafana durations and refuses what is not one, naming the field', () => {
    expect(normalizeDuration(' 250 ms ')).toEqual({ duration: '250ms' });
    expect(normalizeDuration('100µs')).toEqual({ duration: '100us' });
    expect(normalizeDuration('2.50m')).toEqual({ duration: '2.5m' });
    expect(normalizeDuration('007.0s')).toEqual({ duration: '7s' });
    expect(normalizeDuration('0.0000001s')).toEqual({ duration: '0.0000001s' });
    expect(normalizeDuration('2562047h')).toEqual({ duration: '2562047h' });
    expect(normalizeDuration('2562048h')).toEqual({ error: expect.stringContaining('longer than Tempo can compare') });
    expect(normalizeDuration('1' + '0'.repeat(30) + 'ns')).toEqual({ error: expect.stringContaining('longer than') });
    expect(normalizeDuration('250')).toEqual({ error: expect.stringContaining('"250" is not a duration') });
    expect(() => buildTraceQL({ maxDuration: '5 parsecs' })).toThrow(
      'The maximum duration: "5 parsecs" is not a duration'
    );
  });
});
