// The Compose files' YAML text. The `yaml` library builds a node tree of the whole document before it
// writes a character, which was most of a large kit's time (~200 ms and much of its garbage for 300
// services). A Compose model is plain JSON-like data, so it is written here directly, byte for byte as
// `yaml.stringify(model, COMPOSE_YAML)` writes it: same block layout, and each string plain or quoted by
// the library's own rules (its YAML 1.1 tags decide what would read back as another type). Anything
// outside the simple cases (non-ASCII or control characters, multi-line strings, NaN, infinities, -0,
// bigints, very long keys, document markers, "<<") is left to the library for the whole file.
import type * as Yaml from 'yaml';
import type { ToStringOptions } from 'yaml';

// Required on first use, not imported: the YAML library is bundled apart (scripts/build.mjs), so commands
// that write no Compose do not compile it.
let yamlLib: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlLib ??= require('yaml') as typeof Yaml);
}

/** The options every Compose text is written with: YAML 1.1 (the Docker CLI's parser), no folding. */
export const COMPOSE_YAML = { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false } as const satisfies ToStringOptions & { version: '1.1'; aliasDuplicateObjects: false };

/** `yaml.stringify(model, COMPOSE_YAML)`, fast where the model allows it. */
export function composeYaml(model: unknown): string {
  return fastComposeYaml(model) ?? yaml().stringify(model, COMPOSE_YAML);
}

/** The same text written directly, or undefined where the model holds something left to the library. */
export function fastComposeYaml(model: unknown): string | undefined {
  if (!isMap(model) || isEmpty(model)) return undefined;
  const out: string[] = [];
  return writeMap(model, '', out) ? out.join('') : undefined;
}

type Map = Record<string, unknown>;

function isMap(v: unknown): v is Map {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** An empty collection, written in flow style ({} / []); a map whose values are all undefined is one. */
function isEmpty(v: Map | unknown[]): boolean {
  if (Array.isArray(v)) return v.length === 0;
  for (const k in v) if (v[k] !== undefined) return false;
  return true;
}

function writeMap(map: Map, indent: string, out: string[]): boolean {
  for (const k of Object.keys(map)) {
    const v = map[k];
    if (v === undefined) continue; // the library leaves such pairs out
    const key = plainOrQuoted(k);
    if (key === undefined || key.length > 1024) return false; // long keys become explicit (`? key`)
    if (!writeValue(v, `${indent}${key}:`, indent, out)) return false;
  }
  return true;
}

function writeSeq(seq: unknown[], indent: string, out: string[]): boolean {
  for (const v of seq) {
    if (v === undefined) return false;
    if ((isMap(v) || Array.isArray(v)) && !isEmpty(v)) {
      // The item's first line shares the "- " with the dash; the rest line up under it.
      const at = out.length;
      if (!(Array.isArray(v) ? writeSeq(v, `${indent}  `, out) : writeMap(v, `${indent}  `, out))) return false;
      out[at] = `${indent}- ${out[at].slice(indent.length + 2)}`;
    } else {
      const s = scalarOrEmpty(v);
      if (s === undefined) return false;
      out.push(`${indent}- ${s}\n`);
    }
  }
  return true;
}

/** `head` is "indent key:"; a non-empty collection goes on the next lines, two spaces in. */
function writeValue(v: unknown, head: string, indent: string, out: string[]): boolean {
  if ((isMap(v) || Array.isArray(v)) && !isEmpty(v)) {
    out.push(`${head}\n`);
    return Array.isArray(v) ? writeSeq(v, `${indent}  `, out) : writeMap(v, `${indent}  `, out);
  }
  const s = scalarOrEmpty(v);
  if (s === undefined) return false;
  out.push(`${head} ${s}\n`);
  return true;
}

function scalarOrEmpty(v: unknown): string | undefined {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? JSON.stringify(v) : undefined; // as the library's stringifyNumber
  if (typeof v === 'string') return plainOrQuoted(v);
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
  if (isMap(v)) return isEmpty(v) ? '{}' : undefined;
  return undefined;
}

// The library's YAML 1.1 scalar tags (null, bool, int, float, timestamps, ...) other than str: a plain
// string one of them matches would read back as that type, so it is quoted. Read at the first use.
let tagTests: RegExp[] | undefined;
function typeTags(): RegExp[] {
  if (tagTests) return tagTests;
  const schema = new (yaml().Document)(null, { version: '1.1' }).schema;
  return (tagTests = [...schema.tags, ...(schema.compat ?? [])].filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test instanceof RegExp).map((t) => new RegExp((t.test as RegExp).source, (t.test as RegExp).flags.replace('g', ''))));
}

/** Printable ASCII on one line: the strings whose quoting is handled here. */
const SIMPLE = /^[\x20-\x7e]*$/;
/** Where a plain scalar is not allowed (the library's own test, for one-line strings). */
const NOT_PLAIN = /^[\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|:[ \t]|[\t ]#|[\t :]$/;
// "<<" the library takes for a merge key and writes bare: left to it.
const LEFT_TO_LIBRARY = /^(?:---|\.\.\.|<<$)/;

const scalars = new Map<string, string | undefined>();

/**
 * A one-line printable-ASCII string as the library writes it, as a key or a value alike (neither is folded
 * nor a block scalar); undefined: left to the library.
 */
function plainOrQuoted(s: string): string | undefined {
  const known = scalars.get(s);
  if (known !== undefined || scalars.has(s)) return known;
  let out: string | undefined;
  if (!SIMPLE.test(s) || LEFT_TO_LIBRARY.test(s)) out = undefined;
  else if (NOT_PLAIN.test(s) || typeTags().some((t) => t.test(s))) out = quoted(s);
  else out = s;
  if (scalars.size < 100_000) scalars.set(s, out);
  return out;
}

/** The library's choice: single quotes for a string with " but no ', else double quotes (JSON escapes). */
function quoted(s: string): string {
  if (s.includes('"') && !s.includes("'")) return `'${s}'`;
  return JSON.stringify(s);
}
