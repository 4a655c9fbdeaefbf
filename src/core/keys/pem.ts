// Minimal PEM reading with RFC 1421 headers ("Name: value" lines before the base64 body), which
// SwarmKit uses to keep the raft data keys next to the node's private key. Node's crypto ignores headers.

export interface PemBlock {
  type: string;
  headers: Map<string, string>;
  body: Uint8Array;
}

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----$/;

/** Reads the first PEM block; returns undefined when the text holds none. */
export function parsePem(text: string): PemBlock | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => BEGIN.test(l.trim()));
  if (start < 0) return undefined;
  const type = BEGIN.exec(lines[start].trim())![1];
  const end = lines.findIndex((l, i) => i > start && l.trim() === `-----END ${type}-----`);
  if (end < 0) return undefined;
  const headers = new Map<string, string>();
  let i = start + 1;
  for (; i < end; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    if (line.trim() === '') { i++; break; }
    if (colon < 0) break; // body starts without a blank separator
    headers.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const body = Buffer.from(lines.slice(i, end).join('').replace(/\s+/g, ''), 'base64');
  return { type, headers, body: new Uint8Array(body) };
}
