// The Compose writer's own YAML emitter against the `yaml` library it stands in for: byte-identical on
// the kits of real states and on strings chosen at each quoting rule's edges, and the library's text
// wherever the emitter leaves a model to it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadFastSecretbox } from '../../src/core/crypto/secretbox';
import { recoveryKitAt } from '../../src/core/recreate';
import { COMPOSE_YAML, composeYaml, fastComposeYaml } from '../../src/core/recreate/composeYaml';
import { SwarmState } from '../../src/core/state/swarmState';
import { corpusCase, generatedCase } from '../support/fixtures';

const library = (model: unknown): string => stringify(model, COMPOSE_YAML);

describe('compose YAML: the kits of real states', async () => {
  await loadFastSecretbox();
  for (const [name, dir] of [['objects', generatedCase('objects')], ['v2-mixed', corpusCase('v2-mixed')], ['locked', corpusCase('locked')]] as const) {
    it(`${name}: every Compose file is written without the library, as the library writes it`, () => {
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      const state = SwarmState.open(join(dir, 'swarm'), { unlockKey: manifest.unlock_keys?.current ?? undefined });
      try {
        const { kit } = recoveryKitAt(state);
        assert.ok(kit.compose.length > 0);
        for (const file of kit.compose) {
          const fast = fastComposeYaml(file.model);
          assert.notEqual(fast, undefined, `${file.name} left to the library`);
          assert.equal(fast, library(file.model), file.name);
          assert.ok(file.text.endsWith(fast!), file.name);
        }
      } finally {
        state.close();
      }
    });
  }
});

/** Strings at the edges of plain/quoted: YAML 1.1 words and numbers, indicators, quotes, spaces. */
function edgeStrings(): string[] {
  const words = ['', 'y', 'Y', 'n', 'N', 'yes', 'No', 'ON', 'off', 'Off', 'true', 'False', 'null', 'Null', 'NULL', '~', '<<', 'nil', 'none',
    '0', '7', '-1', '+1', '0755', '0o17', '0x1F', '0b101', '1_000', '1e3', '1E-3', '.5', '1.', '1.5.49', '10m', '0.5', '.inf', '-.Inf', '.NaN', '.nan',
    '190:20:30', '1:2', '12:61', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2001-1-1',
    '-', '?', ':', '- a', '? a', '-a', '?a', ':a', 'a:', 'a: b', 'a:b', 'http://x:80/y', 'a #b', 'a#b', '#a', 'a ', ' a', 'a\tb',
    "it's", 'say "hi"', `both ' and "`, `'q'`, '"q"', 'back\\slash', '"\\', '---', '--- a', '...', '...a', 'a---', '%x', '@x', '`x', '!x', '&x', '*x', '|', '>', '[a]', '{a}', 'a,b', 'a[0]', '{}', '[]'];
  const chars = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
  return [...words, ...chars.flatMap((c) => [c, `${c}a`, `a${c}`, `a${c}b`])];
}

describe('compose YAML: quoting rules, keys and values', () => {
  const strings = edgeStrings();

  it('each edge string as a value, a sequence item and a key: as the library writes it, without the library', () => {
    const model = {
      values: Object.fromEntries(strings.map((s, i) => [`k${i}`, s])),
      items: strings,
      keys: Object.fromEntries(strings.filter((s) => !/^(?:---|\.\.\.)/.test(s)).map((s) => [s, s])),
    };
    const keyed = { keys: Object.fromEntries(strings.map((s) => [s, 1])) };
    for (const m of [model, keyed]) assert.equal(composeYaml(m), library(m));
    // The fast path covers every one-line printable ASCII string but document markers and "<<".
    const covered = strings.filter((s) => /^[\x20-\x7e]*$/.test(s) && !/^(?:---|\.\.\.|<<$)/.test(s));
    assert.ok(covered.length > 400);
    const fastModel = { values: Object.fromEntries(covered.map((s, i) => [`k${i}`, s])), items: covered, keys: Object.fromEntries(covered.map((s) => [s, s])) };
    const fast = fastComposeYaml(fastModel);
    assert.notEqual(fast, undefined);
    assert.equal(fast, library(fastModel));
  });

  it('layout: nested maps and sequences, empty ones, null, undefined, numbers and booleans', () => {
    const model = {
      version: '3.8',
      empty: {},
      none: [],
      gone: undefined,
      allGone: { a: undefined },
      n: null,
      nums: [0, 1, -1, 30085, Number.MAX_SAFE_INTEGER, 2 ** 60, 1e21, 0.5, 0.1, -1.25, 1e-7, 123.456, 5e-324, Number.MAX_VALUE],
      flags: { on: true, off: false },
      seqOfSeqs: [['a', 'b'], [['c']], [], {}, [{ x: 1 }]],
      seqOfMaps: [{ source: 'a', target: '/x', uid: '0' }, { list: ['a', { b: [1, 2] }], after: null }, { nested: { deep: { er: 'x' } } }],
      services: { svc: { image: 'busybox', networks: { backend: null, front: { aliases: ['a', 'b'] } }, deploy: { replicas: 3, labels: { 'com.example': 'yes' } } } },
    };
    const fast = fastComposeYaml(model);
    assert.notEqual(fast, undefined);
    assert.equal(fast, library(model));
  });

  it('left to the library (and so still its text): multi-line, non-ASCII and control characters, NaN, infinities, bigints, -0, long keys, document markers', () => {
    const cases: unknown[] = [
      { a: 'line one\nline two' }, { a: ['x\n'] }, { 'k\ney': 1 }, { a: 'héllo' }, { a: 'tab\x01' }, { a: '\u2028' },
      { a: 12345678901234567890n }, { a: -0 }, { a: NaN }, { a: -Infinity }, { ['k'.repeat(1100)]: 1 }, { a: '--- x' }, { a: '...' }, { a: '<<' }, { '<<': 'a' },
      { a: [undefined] }, { a: new Date(0) }, {}, [1, 2], 'scalar',
    ];
    for (const m of cases) {
      assert.equal(fastComposeYaml(m), undefined, JSON.stringify(m, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
      assert.equal(composeYaml(m), library(m));
    }
  });
});
