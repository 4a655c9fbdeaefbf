// Display formatting shared by both views. Pure functions: unit-tested without a DOM.

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/**
 * Timestamps arrive as text: an RFC 3339 string, or seconds (optionally fractional) since the epoch.
 * Shown as UTC so two machines agree; anything unparseable is shown as given.
 */
export function formatTimestamp(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  let millis: number;
  if (/^-?\d+(\.\d+)?$/.test(value.trim())) millis = Number(value) * 1000;
  else millis = Date.parse(value);
  if (!Number.isFinite(millis)) return value;
  const date = new Date(millis);
  if (Number.isNaN(date.getTime())) return value;
  return `${date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '').replace('Z', '')} UTC`;
}

/** Hex dump grouped in bytes, 16 per line, for revealed payloads. */
export function groupHex(hex: string): string {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '');
  const lines: string[] = [];
  for (let i = 0; i < clean.length; i += 32) {
    const chunk = clean.slice(i, i + 32);
    const bytes = chunk.match(/.{1,2}/g) ?? [];
    lines.push(`${(i / 2).toString(16).padStart(8, '0')}  ${bytes.join(' ')}`);
  }
  return lines.join('\n');
}
