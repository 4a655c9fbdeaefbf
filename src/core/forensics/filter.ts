// Search and filter over entries: a parsed filter (`kind:secret action:create name:pass 100..200 free
// text`) and the test of one entry against it. The entry is seen through FilterTarget, a structural type
// that the CLI's decoded entries, the tree's summaries and the table's EntryRow all satisfy, so one
// parser and one matcher serve all three.
import { OBJECT_KINDS } from '../model/objects';

/** One store action as the filter sees it. */
export interface FilterAction {
  action: string;
  kind: string;
  id: string;
  name: string;
}

/** What the filter looks at (an EntryRow fits as it is). */
export interface FilterTarget {
  /** Raft index; a decimal string or a bigint. */
  index: bigint | string;
  term?: bigint | string;
  /** 'EntryNormal', 'EntryConfChange', 'Snapshot', ... */
  type?: string;
  /** 'ok' (default), 'locked', 'earlier-key', 'undecryptable', 'corrupt'. */
  status?: string;
  /** The one-line summary; searched by free text. */
  summary?: string;
  actions: readonly FilterAction[];
  uncommitted?: boolean;
  overwritten?: boolean;
  /** A readable normal entry without store actions; derived when not given. */
  empty?: boolean;
  /** More text for free-text search (e.g. a conf change's node id and address). */
  text?: string;
}

/** An inclusive index range; an absent end is open. */
export interface IndexRange {
  from?: bigint;
  to?: bigint;
}

export const FILTER_ACTIONS = ['CREATE', 'UPDATE', 'REMOVE', 'UNKNOWN', 'SNAPSHOT'] as const;
export const FILTER_STATUSES = ['ok', 'locked', 'earlier-key', 'undecryptable', 'corrupt'] as const;
export const FILTER_FLAGS = ['uncommitted', 'overwritten', 'empty', 'confchange', 'unreadable'] as const;
export type FilterFlag = (typeof FILTER_FLAGS)[number];

/**
 * A parsed filter. Values of one key are alternatives (`kind:secret,config` or `kind:secret kind:config`);
 * different keys must all hold. The action conditions (actions, kinds, names, ids) must hold for one and
 * the same store action of the entry, so `kind:secret name:pass` does not match an entry that creates
 * secret "a" and service "password".
 */
export interface EntryFilter {
  /** Upper case: CREATE, UPDATE, REMOVE, UNKNOWN, SNAPSHOT. */
  actions?: string[];
  kinds?: string[];
  /** Lower-cased substrings of the object's name. */
  names?: string[];
  /** Lower-cased substrings of the object's id. */
  ids?: string[];
  statuses?: string[];
  flags?: FilterFlag[];
  /** The entry's index lies in one of these. */
  ranges?: IndexRange[];
  terms?: bigint[];
  /** Lower-cased words (or quoted phrases) that must each appear in the entry's text. */
  text?: string[];
}

export interface ParsedFilter {
  filter: EntryFilter;
  /** Terms that were not understood (e.g. `kind:foo`); they are left out of `filter`. */
  problems: string[];
}

const KIND_VALUES: readonly string[] = [...OBJECT_KINDS, 'unknown'];
const ACTION_ALIASES: Record<string, string> = { delete: 'REMOVE', rm: 'REMOVE', add: 'CREATE' };
const FLAG_ALIASES: Record<string, FilterFlag> = { conf: 'confchange', 'conf-change': 'confchange', noop: 'empty' };
const NUMBER = /^\d+$/;
const RANGE = /^(\d*)\.\.(\d*)$/;

/** Parses a filter string; never throws (problems are listed, so a UI can show them while typing). */
export function parseEntryFilter(input: string): ParsedFilter {
  const filter: EntryFilter = {};
  const problems: string[] = [];
  const add = <K extends keyof EntryFilter>(key: K, value: NonNullable<EntryFilter[K]>[number]) => {
    const list = (filter[key] ??= [] as never) as unknown[];
    if (!list.some((v) => JSON.stringify(v, bigintJson) === JSON.stringify(value, bigintJson))) list.push(value);
  };
  for (const token of tokenize(input)) {
    const range = token.quoted ? undefined : parseRange(token.text);
    if (range) {
      add('ranges', range);
      continue;
    }
    if (!token.quoted && /^#\d+$/.test(token.text)) {
      const n = BigInt(token.text.slice(1));
      add('ranges', { from: n, to: n });
      continue;
    }
    const colon = token.quoted ? -1 : token.text.indexOf(':');
    const key = colon > 0 ? token.text.slice(0, colon).toLowerCase() : '';
    if (!(key in KEYS)) {
      add('text', token.text.toLowerCase());
      continue;
    }
    const raw = token.text.slice(colon + 1);
    const values = token.valueQuoted ? [raw] : raw.split(',').map((v) => v.trim()).filter((v) => v !== '');
    if (values.length === 0) {
      problems.push(`${key}: needs a value`);
      continue;
    }
    for (const value of values) {
      const problem = KEYS[key](value, add);
      if (problem) problems.push(problem);
    }
  }
  return { filter, problems };
}

type Adder = <K extends keyof EntryFilter>(key: K, value: NonNullable<EntryFilter[K]>[number]) => void;

/** Each key's value parser; returns a problem or undefined. */
const KEYS: Record<string, (value: string, add: Adder) => string | undefined> = {
  kind(value, add) {
    const v = value.toLowerCase();
    const kind = KIND_VALUES.includes(v) ? v : v.endsWith('s') && KIND_VALUES.includes(v.slice(0, -1)) ? v.slice(0, -1) : undefined;
    if (!kind) return `kind:${value}: not an object kind (${OBJECT_KINDS.join(', ')})`;
    add('kinds', kind);
    return undefined;
  },
  action(value, add) {
    const v = ACTION_ALIASES[value.toLowerCase()] ?? value.toUpperCase().replace(/^STORE_ACTION_/, '');
    if (!(FILTER_ACTIONS as readonly string[]).includes(v)) return `action:${value}: not an action (create, update, remove)`;
    add('actions', v);
    return undefined;
  },
  name(value, add) {
    add('names', value.toLowerCase());
    return undefined;
  },
  id(value, add) {
    add('ids', value.toLowerCase());
    return undefined;
  },
  status(value, add) {
    const v = value.toLowerCase();
    if (!(FILTER_STATUSES as readonly string[]).includes(v)) return `status:${value}: not a status (${FILTER_STATUSES.join(', ')})`;
    add('statuses', v);
    return undefined;
  },
  is(value, add) {
    const v = value.toLowerCase();
    const flag = FLAG_ALIASES[v] ?? v;
    if (!(FILTER_FLAGS as readonly string[]).includes(flag)) return `is:${value}: not a flag (${FILTER_FLAGS.join(', ')})`;
    add('flags', flag as FilterFlag);
    return undefined;
  },
  index(value, add) {
    const range = parseRange(value) ?? (NUMBER.test(value) ? { from: BigInt(value), to: BigInt(value) } : undefined);
    if (!range) return `index:${value}: expected N, N..M, N.. or ..M`;
    add('ranges', range);
    return undefined;
  },
  term(value, add) {
    if (!NUMBER.test(value)) return `term:${value}: expected a number`;
    add('terms', BigInt(value));
    return undefined;
  },
};

/** The filter keys, for completion and help. */
export const FILTER_KEYS: readonly string[] = Object.keys(KEYS);

function parseRange(text: string): IndexRange | undefined {
  const m = RANGE.exec(text);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  return { ...(m[1] ? { from: BigInt(m[1]) } : {}), ...(m[2] ? { to: BigInt(m[2]) } : {}) };
}

/** Splits on white space; double quotes group words (`name:"my secret"`, `"exact phrase"`). */
interface Token {
  text: string;
  /** A bare "phrase": free text even if it holds a colon. */
  quoted: boolean;
  /** key:"value": the value is taken whole (no comma split). */
  valueQuoted?: boolean;
}

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  const re = /(\S*?)"([^"]*)"?|\S+/g;
  for (let m = re.exec(input); m; m = re.exec(input)) {
    if (m[2] !== undefined) {
      out.push(m[1] ? { text: m[1] + m[2], quoted: false, valueQuoted: true } : { text: m[2], quoted: true });
    } else {
      out.push({ text: m[0], quoted: false });
    }
  }
  return out.filter((t) => t.text !== '');
}

function bigintJson(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** True when the filter has no condition (everything matches). */
export function isEmptyFilter(filter: EntryFilter): boolean {
  return Object.values(filter).every((v) => v === undefined || (Array.isArray(v) && v.length === 0));
}

/** Whether the entry passes the filter. */
export function matchesFilter(target: FilterTarget, filter: EntryFilter): boolean {
  const index = BigInt(target.index);
  if (filter.ranges?.length && !filter.ranges.some((r) => (r.from === undefined || index >= r.from) && (r.to === undefined || index <= r.to))) return false;
  if (filter.terms?.length && (target.term === undefined || !filter.terms.includes(BigInt(target.term)))) return false;
  const status = target.status ?? 'ok';
  if (filter.statuses?.length && !filter.statuses.includes(status)) return false;
  if (filter.flags?.length && !filter.flags.every((f) => hasFlag(target, f))) return false;
  if (hasActionConditions(filter) && !target.actions.some((a) => actionMatches(a, filter))) return false;
  if (filter.text?.length) {
    const hay = haystack(target);
    if (!filter.text.every((word) => hay.includes(word))) return false;
  }
  return true;
}

function hasActionConditions(f: EntryFilter): boolean {
  return !!(f.actions?.length || f.kinds?.length || f.names?.length || f.ids?.length);
}

function actionMatches(a: FilterAction, f: EntryFilter): boolean {
  if (f.actions?.length && !f.actions.includes(a.action)) return false;
  if (f.kinds?.length && !f.kinds.includes(a.kind)) return false;
  if (f.names?.length) {
    const name = a.name.toLowerCase();
    if (!f.names.some((n) => name.includes(n))) return false;
  }
  if (f.ids?.length) {
    const id = a.id.toLowerCase();
    if (!f.ids.some((n) => id.includes(n))) return false;
  }
  return true;
}

function hasFlag(t: FilterTarget, flag: FilterFlag): boolean {
  const status = t.status ?? 'ok';
  switch (flag) {
    case 'uncommitted':
      return !!t.uncommitted;
    case 'overwritten':
      return !!t.overwritten;
    case 'confchange':
      return t.type === 'EntryConfChange';
    case 'unreadable':
      return status !== 'ok';
    case 'empty':
      return t.empty ?? (status === 'ok' && t.type !== 'EntryConfChange' && t.type !== 'Snapshot' && t.actions.length === 0);
  }
}

/** The text free words are looked for in (lower case): what the table shows of the entry. */
function haystack(t: FilterTarget): string {
  const parts = [`#${t.index}`, t.term !== undefined ? `term ${t.term}` : '', t.type ?? '', t.status ?? 'ok', t.summary ?? '', t.text ?? ''];
  for (const a of t.actions) parts.push(a.action, a.kind, a.id, a.name);
  return parts.join(' ').toLowerCase();
}

/** The canonical text of a filter (parses back to the same filter). */
export function formatEntryFilter(filter: EntryFilter): string {
  const quote = (v: string) => (/[\s",]/.test(v) || v === '' ? `"${v.replace(/"/g, '')}"` : v);
  const parts: string[] = [];
  if (filter.kinds?.length) parts.push(`kind:${filter.kinds.join(',')}`);
  if (filter.actions?.length) parts.push(`action:${filter.actions.map((a) => a.toLowerCase()).join(',')}`);
  for (const n of filter.names ?? []) parts.push(`name:${quote(n)}`);
  for (const n of filter.ids ?? []) parts.push(`id:${quote(n)}`);
  if (filter.statuses?.length) parts.push(`status:${filter.statuses.join(',')}`);
  for (const f of filter.flags ?? []) parts.push(`is:${f}`);
  if (filter.terms?.length) parts.push(`term:${filter.terms.join(',')}`);
  for (const r of filter.ranges ?? []) parts.push(r.from !== undefined && r.from === r.to ? `#${r.from}` : `${r.from ?? ''}..${r.to ?? ''}`);
  for (const w of filter.text ?? []) parts.push(/[\s:"]/.test(w) ? `"${w.replace(/"/g, '')}"` : w);
  return parts.join(' ');
}
