// The crc-32 package ships types for its IEEE entry point only; its Castagnoli entry has the same shape.
declare module 'crc-32/crc32c' {
  export function buf(data: Uint8Array, seed?: number): number;
  export function str(data: string, seed?: number): number;
}
