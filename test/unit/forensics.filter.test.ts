// Search and filter: the filter string's syntax, the matcher on hand-made targets and on the table's
// EntryRow type, and `dump-wal --filter` on the two-managers fixture against its manifest.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dumpWalFiltered, entryFilterTarget, formatEntryFilter, matchesFilter, parseEntryFilter, type EntryFilter, type FilterTarget } from '../../src/core/forensics';
import type { Fault } from '../../src/core/errors';
import { SwarmState } from '../../src/core/state/swarmState';
import type { EntryRow } from '../../src/shared/protocol';
import { runCli } from '../support/cli';
import { generatedCase } from '../support/fixtures';

function parse(text: string): EntryFilter {
  const { filter, problems } = parseEntryFilter(text);
  assert.deepEqual(problems, [], text);
  return filter;
}

describe('filter syntax', () => {
  it('parses keys, ranges and free text (the issue example)', () => {
    assert.deepEqual(parse('kind:secret action:create name:pass 100..200 free text'), {
      kinds: ['secret'], actions: ['CREATE'], names: ['pass'], ranges: [{ from: 100n, to: 200n }], text: ['free', 'text'],
    });
  });

  it('accepts alternatives, plurals, aliases, open ranges, #N, index: and term:', () => {
    assert.deepEqual(parse('kind:secrets,config action:delete,UPDATE ..20 300.. #7 index:9..10 term:2 is:uncommitted status:earlier-key id:ABC'), {
      kinds: ['secret', 'config'], actions: ['REMOVE', 'UPDATE'], ranges: [{ to: 20n }, { from: 300n }, { from: 7n, to: 7n }, { from: 9n, to: 10n }],
      terms: [2n], flags: ['uncommitted'], statuses: ['earlier-key'], ids: ['abc'],
    });
  });

  it('quotes group words; unknown keys (an address) are free text', () => {
    assert.deepEqual(parse('name:"my secret,v2" "two words" 127.0.0.1:2377'), { names: ['my secret,v2'], text: ['two words', '127.0.0.1:2377'] });
  });

  it('lists what it does not understand instead of throwing', () => {
    const { filter, problems } = parseEntryFilter('kind:secrt action:explode status:fine is:odd term:x index:a..b kind: name:ok');
    assert.equal(problems.length, 7);
    assert.match(problems[0], /^kind:secrt: not an object kind/);
    assert.match(problems[5], /^index:a\.\.b/);
    assert.equal(problems[6], 'kind: needs a value');
    assert.deepEqual(filter, { names: ['ok'] });
  });

  it('formats a filter so that it parses back to the same filter', () => {
    for (const text of ['kind:secret action:create name:pass 100..200 free text', 'name:"a b" id:x,y is:empty term:3 #5 ..9 "exact phrase"', '']) {
      const filter = parse(text);
      assert.deepEqual(parse(formatEntryFilter(filter)), filter, text);
    }
  });
});

describe('filter matching', () => {
  const entry = (index: number, actions: [string, string, string, string][], more: Partial<FilterTarget> = {}): FilterTarget => ({
    index: BigInt(index), term: 2n, type: 'EntryNormal', status: 'ok', actions: actions.map(([action, kind, id, name]) => ({ action, kind, id, name })), ...more,
  });
  const mixed = entry(150, [['CREATE', 'secret', 'sid1', 'a'], ['UPDATE', 'service', 'svc1', 'password-api']]);

  it('action conditions must hold for one and the same action', () => {
    assert.equal(matchesFilter(mixed, parse('kind:secret name:pass')), false);
    assert.equal(matchesFilter(mixed, parse('kind:service name:PASS')), true);
    assert.equal(matchesFilter(mixed, parse('kind:secret action:create 100..200')), true);
    assert.equal(matchesFilter(mixed, parse('kind:secret action:create 151..')), false);
    assert.equal(matchesFilter(mixed, parse('id:SID')), true);
  });

  it('free words must all appear; terms, statuses and flags', () => {
    assert.equal(matchesFilter(mixed, parse('password create')), true);
    assert.equal(matchesFilter(mixed, parse('password remove')), false);
    assert.equal(matchesFilter(mixed, parse('term:2 status:ok')), true);
    assert.equal(matchesFilter(mixed, parse('term:3')), false);
    assert.equal(matchesFilter(entry(3, []), parse('is:empty')), true);
    assert.equal(matchesFilter(entry(3, [], { type: 'EntryConfChange' }), parse('is:empty')), false);
    assert.equal(matchesFilter(entry(3, [], { status: 'earlier-key' }), parse('is:unreadable')), true);
    assert.equal(matchesFilter(entry(3, [], { status: 'earlier-key' }), parse('kind:secret')), false, 'nothing to match inside');
    assert.equal(matchesFilter(mixed, parse('')), true);
  });

  it("takes the table's EntryRow as it is (string indexes)", () => {
    const row: EntryRow = {
      seq: 4, index: '77', term: '2', type: 'EntryNormal', status: 'ok', summary: 'UPDATE service spread', size: 600,
      actions: [{ action: 'UPDATE', kind: 'service', id: 'r1efpcu6xmd7kl3osfzgxvvt1', name: 'spread' }], uncommitted: true, overwritten: false, crcOk: true,
    };
    assert.equal(matchesFilter(row, parse('is:uncommitted kind:service #77')), true);
    assert.equal(matchesFilter(row, parse('..76')), false);
  });
});

describe('dump-wal --filter on two managers (m1)', () => {
  const dir = generatedCase('two-managers');
  const stateDir = join(dir, 'm1', 'swarm');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { values: { kind: string; name: string; id: string; removed?: boolean }[] };
  const state = SwarmState.open(stateDir);
  after(() => state.close());

  const matching = (filter: string) => {
    const faults: Fault[] = [];
    const lines = [...dumpWalFiltered(state, { format: 'json' }, parse(filter), faults)].map((l) => JSON.parse(l) as { index: string; actions?: { action: string; kind: string; id: string; name: string }[] });
    assert.deepEqual(faults, []);
    return lines;
  };

  it('kind:secret action:create: one entry per secret the manifest created, in order', () => {
    const secrets = manifest.values.filter((v) => v.kind === 'secret');
    const lines = matching('kind:secret action:create');
    assert.deepEqual(lines.map((l) => l.actions!.map((a) => `${a.action} ${a.kind} ${a.id} ${a.name}`)), secrets.map((s) => [`CREATE secret ${s.id} ${s.name}`]));
  });

  it('action:remove kind:secret: the secret the manifest removed', () => {
    const removed = manifest.values.filter((v) => v.kind === 'secret' && v.removed);
    assert.equal(removed.length, 1);
    assert.deepEqual(matching('action:remove kind:secret').map((l) => l.actions!.map((a) => a.id)), [[removed[0].id]]);
  });

  it('name substrings, configs by name, an index range and free text agree with the unfiltered dump', () => {
    const all = matching('');
    assert.equal(all.length, state.wal.effective.length);
    const configs = manifest.values.filter((v) => v.kind === 'config');
    assert.deepEqual(matching('kind:config').map((l) => l.actions![0].name), configs.map((c) => c.name));
    const spread = matching('name:SPREAD 40..45');
    assert.deepEqual(spread.map((l) => l.index), all.filter((l) => BigInt(l.index) >= 40n && BigInt(l.index) <= 45n && l.actions?.some((a) => a.name.toLowerCase().includes('spread'))).map((l) => l.index));
    assert.ok(spread.length > 0);
    assert.deepEqual(matching('is:uncommitted').map((l) => l.index), ['77']);
    assert.deepEqual(matching('is:confchange').map((l) => l.index), all.filter((l) => !l.actions).map((l) => l.index));
  });

  it('the filter target of every decoded entry names its actions as the JSON does', () => {
    for (const e of state.wal.effective) {
      const t = entryFilterTarget(state.decodeEntry(e));
      assert.equal(t.index, e.index);
      assert.equal(t.uncommitted, e.uncommitted);
    }
  });

  it('CLI: --filter in text and JSON; a bad filter is a usage error (exit 2)', () => {
    const text = runCli(['-d', stateDir, 'dump-wal', '--filter', 'kind:secret action:remove']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Entry Index=\d+, Term=2, Type=EntryNormal:\n/);
    assert.equal(text.stdout.split('Entry Index=').length - 1, 1);
    assert.match(text.stdout, /action: STORE_ACTION_REMOVE/);
    const full = runCli(['-d', stateDir, 'dump-wal']);
    assert.ok(full.stdout.includes(text.stdout), 'the same text as the unfiltered dump');
    const json = runCli(['-d', stateDir, 'dump-wal', '--format', 'json', '--start', '70', '--filter', 'kind:task']);
    assert.equal(json.code, 0, json.stderr);
    const indexes = json.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { index: string }).index);
    assert.ok(indexes.length > 0 && indexes.every((i) => BigInt(i) >= 70n));
    const bad = runCli(['-d', stateDir, 'dump-wal', '--filter', 'kind:secrt']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^Error: .*kind:secrt: not an object kind/);
    assert.equal(bad.stdout, '');
  });
});
