import type { ServiceMap } from '../../trace';
import { serviceMapLinks } from './links';

// A map shaped as Grafana's node-graph frames give it when two namespaces share a service name.
const map: ServiceMap = {
  nodes: [
    { id: 'user', virtual: true, requests: 0, errors: 0 },
    { id: 'shop/api', name: 'api', namespace: 'shop', virtual: false, requests: 2, errors: 0 },
    { id: 'billing/api', name: 'api', namespace: 'billing', virtual: false, requests: 1, errors: 0 },
    { id: 'postgresql', virtual: true, requests: 1, errors: 0 },
  ],
  edges: [
    { source: 'user', target: 'shop/api', requests: 2, errors: 0, connectionType: 'virtual_node' },
    { source: 'shop/api', target: 'billing/api', requests: 1, errors: 0, connectionType: '' },
    { source: 'billing/api', target: 'postgresql', requests: 1, errors: 0, connectionType: '' },
    { source: 'postgresql', target: 'shop/api', requests: 1, errors: 0, connectionType: '' },
  ],
};
const query = (href: string) => new URLSearchParams(href.split('?')[1]);

describe('serviceMapLinks', () => {
  const { nodeLinks, edgeLinks } = serviceMapLinks(map, { datasource: 'tempo-eu', from: 'now-6h', to: 'now' });

  it('searches a service by its name, not the namespaced node id, and opens it in Explore', () => {
    const links = nodeLinks(map.nodes[1]);
    expect(links.map((l) => l.label)).toEqual(['Search traces of this service', 'Errors only', 'Open in Explore']);
    expect(query(links[0].href).get('service')).toBe('api');
    expect(query(links[0].href).get('ds')).toBe('tempo-eu');
    expect(query(links[1].href).get('status')).toBe('error');
    expect(decodeURIComponent(links[2].href)).toContain('{ resource.service.name = \\"api\\" }');
  });

  it('gives no links to a virtual node, nor to calls from one', () => {
    expect(nodeLinks(map.nodes[3])).toEqual([]);
    expect(edgeLinks(map.edges[3])).toEqual([]);
  });

  it('calls a request from user one entering at the service, and searches the traces rooted there', () => {
    const [link] = edgeLinks(map.edges[0]);
    expect(link.label).toBe('Search traces entering at \u2068api\u2069');
    expect(query(link.href).get('q')).toBe('{ rootServiceName = "api" }');
  });

  it('searches a call between services by their names, client to server', () => {
    const [link] = edgeLinks(map.edges[1]);
    expect(link.label).toBe('Search traces from \u2068api\u2069 to \u2068api\u2069');
    expect(query(link.href).get('q')).toBe(
      '{ resource.service.name = "api" && kind = client } > { resource.service.name = "api" && kind = server }'
    );
  });

  it('searches a call to a virtual node without a connection type as a peer call', () => {
    const [link] = edgeLinks(map.edges[2]);
    expect(query(link.href).get('q')).toMatch(
      /^\{ resource\.service\.name = "api" && \(kind = client \|\| kind = producer\)/
    );
  });

  it('leaves Explore out when the Tempo data source is not known', () => {
    const links = serviceMapLinks(map, { from: 'now-1h', to: 'now' }).nodeLinks(map.nodes[1]);
    expect(links.map((l) => l.label)).toEqual(['Search traces of this service', 'Errors only']);
    expect(query(links[0].href).get('ds')).toBeNull();
  });
});
