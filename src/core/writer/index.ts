// The writer's public surface: the inverse of the reader, for decrypt, tests, fixtures and benchmarks.
export { SEGMENT_BYTES, WalWriter, type EntryInput, type WalWriteResult, type WalWriterOptions, type WrittenSegment } from './walWriter';
export { encodeSnapshotFile, snapshotFileName, writeSnapshotFile, type SnapshotInput } from './snapshotWriter';
export { fernetSealer, plainSealer, sealerFor, secretboxSealer, steppingClock, type DataSealer, type FernetClock } from './sealer';
export { SeededRandom } from './seededRandom';
export { nodeKeyPem, pemEncode, type NodeKeyFileInput } from './nodeKeyFile';
export { encodeRaftMember, SwarmStateWriter, type NodeIdentitySpec, type StateSpec, type StateWriteResult } from './stateWriter';
export { rewriteState, type RewriteOptions, type RewriteResult } from './rewriteState';
export { assertOutsideOf, prepareEmptyDir } from './outputDir';
export { SyntheticCluster, DEFAULT_SIZE, type ClusterSize } from './syntheticCluster';
export type { HardStateFields } from './rawEncode';
