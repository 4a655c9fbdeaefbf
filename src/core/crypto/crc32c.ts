// CRC-32C (Castagnoli), as etcd's WAL and snap files use. Node's zlib.crc32 is the IEEE polynomial,
// so we use the crc-32 package's Castagnoli table (slicing-by-16, no native code to bundle).
import * as CRC32C from 'crc-32/crc32c';

/** Continues a CRC-32C over `data` from `previous` (0 to start), like Go's crc32.Update. Unsigned result. */
export function crc32c(previous: number, data: Uint8Array): number {
  return CRC32C.buf(data, previous | 0) >>> 0;
}
