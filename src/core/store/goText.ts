// Go's view of strings, where the store's indexes depend on it: strings are UTF-8 bytes, compared
// bytewise, and lower-cased with Go's strings.ToLower (per code point, simple case mapping).

/**
 * Go's strings.ToLower: each code point through unicode.ToLower (a one-to-one mapping). JavaScript's
 * toLowerCase applies full and context-dependent mappings instead (U+0130 -> "i\u0307", a final
 * capital sigma -> "ς"), so map code point by code point and keep the one-to-one result.
 */
export function goToLower(s: string): string {
  // Fast path, as Go's: pure ASCII only maps A-Z.
  if (isAscii(s)) return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  let out = '';
  for (const ch of s) out += lowerCodePoint(ch);
  return out;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function lowerCodePoint(ch: string): string {
  if (ch === '\u0130') return 'i'; // Go: unicode.ToLower('İ') == 'i'
  const lower = ch.toLowerCase();
  // Only one-to-one results are simple mappings; anything longer is a special casing Go does not do.
  return [...lower].length === 1 ? lower : ch;
}

/** The UTF-8 bytes of `s` as a binary string (one char per byte), so `<` compares like Go's bytes. */
export function utf8Binary(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** Go's fmt.Sprint of a uint64. */
export function goUint(n: bigint): string {
  return n.toString(10);
}
