// The store API for the CLI, the extension's State tree and history views.
export { MemoryStore } from './memoryStore';
export { ReplayedStore, StoreReplayError, baseSnapshot, replayStore, type ReplayFault, type ReplayOptions } from './replay';
export { objectHistory, storeActions, type HistoryOptions, type StoreActionRecord } from './history';
export { StoreError, type StoreErrorCode } from './storeErrors';
export { actionTarget, applyStoreAction, applyStoreActions, createObject, removeObject, restoreStoreSnapshot, updateObject } from './rules';
export { goTaskName, idOf, indexedName } from './objectKeys';
export { goToLower } from './goText';
