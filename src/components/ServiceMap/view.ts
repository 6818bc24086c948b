import {
  FocusDirection,
  ServiceMap,
  ServiceMapEdge,
  ServiceMapNode,
  focusServiceMap,
  withoutVirtualNodes,
} from '../../trace';

/** A link from the map's menus: pages build them from src/routes.ts. */
export interface ServiceMapLink {
  label: string;
  href: string;
  /** a Grafana icon name */
  icon?: string;
}

export type NodeLinks = (node: ServiceMapNode) => ServiceMapLink[];
export type EdgeLinks = (edge: ServiceMapEdge) => ServiceMapLink[];

/** What part of the map is shown and how: kept in the page's URL when the page controls it. */
export interface ServiceMapView {
  /** the service whose neighbourhood alone is shown */
  focus?: string;
  /** calls away from the focused service, 1 to MAX_HOPS */
  hops: number;
  direction: FocusDirection;
  hideVirtual: boolean;
  groupByNamespace: boolean;
}

export const MAX_HOPS = 5;
export const DEFAULT_VIEW: ServiceMapView = { hops: 2, direction: 'both', hideVirtual: false, groupByNamespace: false };

export interface ShownMap {
  map: ServiceMap;
  /** the focus, when it is in the map (a stale one from a URL is ignored and said so) */
  focus?: string;
  problem?: string;
}

/** The part of the map the view shows: virtual nodes hidden first, then the focused neighbourhood. */
export function shownMap(map: ServiceMap, view: ServiceMapView): ShownMap {
  let shown = view.hideVirtual ? withoutVirtualNodes(map) : map;
  if (view.focus === undefined) {
    return { map: shown };
  }
  if (!shown.nodes.some((n) => n.id === view.focus)) {
    const hidden = map.nodes.some((n) => n.id === view.focus);
    return {
      map: shown,
      problem: hidden
        ? `${view.focus} is a virtual node, hidden now: showing the whole map.`
        : `${view.focus} is not in this map (time range or source): showing the whole map.`,
    };
  }
  const hops = Math.min(MAX_HOPS, Math.max(1, Math.round(view.hops) || 1));
  shown = focusServiceMap(shown, { id: view.focus, hops, direction: view.direction });
  return { map: shown, focus: view.focus };
}

/** Whether any node carries a `service.namespace`: grouping is offered only then. */
export const hasNamespaces = (map: ServiceMap) => map.nodes.some((n) => !!n.namespace);

/**
 * A link target a menu may render: an app path (`/a/...`, `/explore?...`) that stays on Grafana's origin, or an
 * absolute http(s) URL. Anything else is dropped: `javascript:`, `data:`, protocol-relative `//host`, and any
 * whitespace or control character, which browsers strip from URLs (`/\t/evil.com` is `//evil.com` to them).
 */
export function safeLink(
  href: string,
  origin: string = globalThis.location?.origin ?? 'http://localhost'
): string | undefined {
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(href)) {
    return undefined;
  }
  if (href.startsWith('/')) {
    try {
      const base = new URL(origin);
      return !/^\/[/\\]/.test(href) && new URL(href, base).origin === base.origin ? href : undefined;
    } catch {
      return undefined;
    }
  }
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
