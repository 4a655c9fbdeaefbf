// Which fields the UI withholds until the user asks to reveal them: the payload of secrets and configs,
// and the cluster's key material. Paths are field names from the object's root; repeated fields match
// any element. Used by the field tree, the text/JSON tabs of the detail view and the reveal request.

export const HIDDEN_PATHS: Record<string, string[][]> = {
  secret: [['spec', 'data']],
  config: [['spec', 'data']],
  cluster: [
    ['root_ca', 'ca_key'],
    ['unlock_keys', 'key'],
    ['network_bootstrap_keys', 'key'],
    ['spec', 'ca_config', 'signing_ca_key'],
  ],
};

/** Whether a field path (numeric segments = list positions, ignored) names a hidden field of `kind`. */
export function isHiddenPath(kind: string, path: readonly string[]): boolean {
  const rules = HIDDEN_PATHS[kind];
  if (!rules) return false;
  const names = path.filter((p) => !/^\d+$/.test(p));
  return rules.some((rule) => rule.length === names.length && rule.every((r, i) => r === names[i]));
}

export function placeholder(bytes: number): string {
  return `<hidden: ${bytes} byte${bytes === 1 ? '' : 's'}, use Reveal>`;
}

type Fields = Record<string, unknown>;

/** Byte length of a bytes or string field value. */
export function byteLength(value: unknown): number {
  if (value instanceof Uint8Array) return value.length;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  return 0;
}

/** A copy of a protobufjs message (prototype kept, so $type and defaults still work) with hidden fields replaced by a placeholder. */
export function hideInMessage<T>(kind: string, message: T): T {
  const rules = HIDDEN_PATHS[kind];
  if (!rules) return message;
  let out: unknown = message;
  for (const rule of rules) out = replaceAt(out, rule, (v) => (v instanceof Uint8Array ? new TextEncoder().encode(placeholder(v.length)) : placeholder(byteLength(v))));
  return out as T;
}

/** The same for the plain object of a message's JSON form (bytes there are base64 strings). */
export function hideInJson(kind: string, json: unknown): unknown {
  const rules = HIDDEN_PATHS[kind];
  if (!rules) return json;
  let out = json;
  for (const rule of rules) out = replaceAt(out, rule, (v) => placeholder(typeof v === 'string' ? Buffer.from(v, 'base64').length : byteLength(v)), true);
  return out;
}

function replaceAt(value: unknown, path: readonly string[], replace: (v: unknown) => unknown, plain = false): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => replaceAt(item, path, replace, plain));
  if (typeof value !== 'object') return value;
  const [head, ...rest] = path;
  const fields = value as Fields;
  const child = fields[head];
  if (child === undefined || child === null) return value;
  // Absent bytes read as protobufjs' shared default, an empty array: nothing to hide there either.
  if (rest.length === 0 && (child instanceof Uint8Array || Array.isArray(child) ? child.length === 0 : child === '')) return value;
  const replaced = rest.length === 0 ? replace(child) : replaceAt(child, rest, replace, plain);
  const copy = plain ? { ...fields } : (Object.assign(Object.create(Object.getPrototypeOf(fields)) as Fields, fields) as Fields);
  copy[head] = replaced;
  return copy;
}
