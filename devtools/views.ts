/**
 * The devtools' view components, for pages that lay them out themselves (the demo does). Apps that
 * only want the floating panel import `mountDevtools` from `./index.ts` instead, which loads these lazily.
 */
export { append, formatSeconds, h, replace, svg, type Child } from './dom.ts';
export { layerTitles, narrate } from './narrate.ts';
export { LaneHistory, entryState, type LaneEntry } from './model/lane-history.ts';
export { RequestLog, type PageResponse, type TimelineRow } from './model/request-log.ts';
export { timelineView, type TimelineOptions } from './views/timeline-view.ts';
export { lanesView } from './views/lanes-view.ts';
export { explanationView } from './views/explain-view.ts';
export { cacheActions, COUNTRIES, type CacheActionHandlers, type CacheActionsState } from './views/cache-actions.ts';
