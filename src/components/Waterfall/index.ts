export { Waterfall } from './Waterfall';
export type { TimelineFilter, WaterfallProps } from './Waterfall';
export { defaultWaterfallOptions, HARD_SPAN_LIMIT } from './options';
export type { WaterfallOptions } from './options';
export type { ColorBy } from './colors';
export { safeHttpUrl } from './links';
export { FIND_HELP } from './useFind';
