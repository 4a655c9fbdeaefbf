// Time travel and forensics (issue #8): the API for the CLI and the extension's State tree, history and
// diff views, filters, size statistics and the comparison of two managers. No vscode import here.
export { FILTER_ACTIONS, FILTER_FLAGS, FILTER_KEYS, FILTER_STATUSES, formatEntryFilter, isEmptyFilter, matchesFilter, parseEntryFilter } from './filter';
export type { EntryFilter, FilterAction, FilterFlag, FilterTarget, IndexRange, ParsedFilter } from './filter';
export { entryFilterTarget } from './entryTarget';
export { dumpWalFiltered, type FilteredDumpOptions } from './filteredDump';
export { StateTimeline, stateObjects, stateObjectsSteps, timeTravelRange, type StateKindGroup, type StateObjectRow, type TimeTravelRange, type TimelineOptions } from './stateAt';
export { objectVersions, versionLabel, type ObjectRevision, type ObjectVersion, type ObjectVersions, type VersionOptions } from './history';
export { historyJson, historyText, versionHeader, type HistoryReportOptions } from './historyReport';
export { objectCatalog, resolveObjectRef, searchCatalog, type CatalogObject, type CatalogOptions } from './catalog';
export { redactObject, renderObject, type ObjectFormat, type RenderOptions } from './render';
export { diffVersions, unifiedDiff, type DiffSide, type VersionDiff } from './diff';
export { computeStats, type StatsOptions } from './stats';
export type * from './statsModel';
export { formatBytes, statsText } from './statsText';
export { compareManagers, type CompareOptions } from './compare';
export type * from './compareModel';
export { comparisonText, describeComparison } from './compareText';
