export { ServiceMap } from './ServiceMap';
export type { ServiceMapProps } from './ServiceMap';
export { DEFAULT_VIEW, MAX_HOPS } from './view';
export type { EdgeLinks, NodeLinks, ServiceMapLink, ServiceMapView } from './view';
