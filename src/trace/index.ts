/**
 * Traceway's trace model: every trace format in, one model out. See README.md in this folder.
 * Pure TypeScript: no React, no @grafana runtime imports (type imports only).
 */
export * from './types';
export { TraceInputError, isTraceInputError } from './errors';
export type { TraceInputErrorCode } from './errors';
export { parseTrace, parseTraces, detectFormat, parseJsonText, parseJsonDocuments, TraceReader } from './parse';
export { decodeTraceBytes } from './bytes';
export type { ParseOptions } from './parse';
export { spanIdToHex, traceIdToHex, spanIdToBase64, traceIdToBase64 } from './ids';
export { epochNanosString, epochMillis, epochMicros } from './time';
export { valueToString, findAttribute } from './values';
export { compareNames } from './names';
export {
  visibleRows,
  collapseAll,
  expandAll,
  collapseToDepth,
  toggleCollapsed,
  revealSpan,
  filterMarks,
  keepMarked,
  FILTER_MEMBER,
  FILTER_ANCESTOR,
} from './rows';
export type { Collapsed } from './rows';
export { criticalPath } from './critical';
export type { CriticalPath, CriticalSection } from './critical';
export { bySelfTime, groupSpans, selfTimes, serviceCounts, traceStats, summarize } from './stats';
export type { GroupStats, TraceStats, TraceSummary } from './stats';
export { findSpans, parseQuery } from './find';
export type { FindTerm } from './find';
export { attributeKeys, spanAttribute } from './attributeKeys';
export type { AttributeKeyCount } from './attributeKeys';
export { spanIndexById, errorSubtrees, membership, clockSkew } from './queries';
export { formatSkew, SKEW_TOLERANCE_NS } from './tree';
export { ServiceGraphBuilder, serviceGraph, PEER_ATTRIBUTES, USER_NODE } from './graph';
export type { ServiceGraph, ServiceGraphEdge, ServiceGraphNode, ConnectionType } from './graph';
export {
  errorShare,
  focusServiceMap,
  mergeServiceGraphs,
  serviceMapCountsFromGraph,
  serviceMapFromGraph,
  sortServiceMap,
  withoutVirtualNodes,
} from './serviceMap';
export type {
  FocusDirection,
  FocusOptions,
  ServiceMap,
  ServiceMapConnectionType,
  ServiceMapEdge,
  ServiceMapNode,
  ServiceMapUnit,
} from './serviceMap';
export { toTempoV2, toTempoV1, toOtlp, toJaeger, toZipkin, toFrameRows, toDataFrame } from './write';
export { diffTraces, diffPathLabel, diffKind, countDiffKinds } from './diff';
export type { DiffGroup, DiffKind, DiffPath, TraceDiff } from './diff';
export { pathTree, pathLabel } from './paths';
export type { PathTree } from './paths';
export { csrChildren } from './csr';
export type { CsrChildren } from './csr';
