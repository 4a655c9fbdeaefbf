// Messages of the size statistics panel ("what makes my raft big"): the host sends the StatsModel of
// computeStats as it is (plain JSON); the page says when it is ready and which entry to show.
import type { StatsModel } from '../core/forensics/statsModel';

export type StatsHostMessage = { type: 'stats'; model: StatsModel } | { type: 'error'; message: string };
export type StatsPageMessage = { type: 'ready' } | { type: 'showEntry'; index: string };
