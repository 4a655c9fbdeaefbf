// scripts/check-fixtures-untouched.mjs (run after the unit and conformance tests) catches any change to
// an unpacked fixture: content, size, time, mode, files added or removed. Checked on a throwaway copy
// of the repository layout, never on the real .fixtures/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { corpusArchives, repoRoot, unpackArchive } from '../support/fixtures';

const CASE = 'synth-nosnap';
const SEG = 'swarm/raft/wal-v3-encrypted/0000000000000001-0000000000000007.wal';

/** A fake repository with the checker, one archive, and that archive unpacked as the tests would. */
function fakeRepo(): { repo: string; unpacked: string } {
  const repo = mkdtempSync(join(tmpdir(), 'swarm-raft-readonly-'));
  mkdirSync(join(repo, 'scripts'));
  copyFileSync(join(repoRoot, 'scripts', 'check-fixtures-untouched.mjs'), join(repo, 'scripts', 'check-fixtures-untouched.mjs'));
  mkdirSync(join(repo, 'test', 'fixtures', 'corpus'), { recursive: true });
  const archive = join(repo, 'test', 'fixtures', 'corpus', `${CASE}.tar.gz`);
  copyFileSync(join(corpusArchives, `${CASE}.tar.gz`), archive);
  return { repo, unpacked: unpackArchive(archive, join(repo, '.fixtures', 'corpus'), CASE) };
}

function check(repo: string): { code: number; out: string } {
  const r = spawnSync(process.execPath, [join(repo, 'scripts', 'check-fixtures-untouched.mjs')], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}

describe('check-fixtures-untouched', () => {
  it('passes on a freshly unpacked case', () => {
    const { repo } = fakeRepo();
    const r = check(repo);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /1 of 1 unpacked case\(s\) match/);
  });

  const damages: [string, (dir: string) => void, RegExp][] = [
    ['a byte changed (same size and time)', (d) => {
      const p = join(d, SEG);
      const { mtime } = statSync(p);
      const fd = openSync(p, 'r+');
      writeSync(fd, Buffer.from([0xff]), 0, 1, 100);
      closeSync(fd);
      utimesSync(p, mtime, mtime);
    }, /changed .*0007\.wal: content/],
    ['data appended', (d) => appendFileSync(join(d, SEG), Buffer.alloc(8)), /changed .*0007\.wal: size/],
    ['only the time touched', (d) => utimesSync(join(d, SEG), new Date(), new Date()), /changed .*0007\.wal: modified at/],
    ['a mode changed', (d) => chmodSync(join(d, SEG), 0o777), /changed .*0007\.wal: mode 777/],
    ['a file added (a lock, a .broken copy)', (d) => writeFileSync(join(d, 'swarm/raft/wal-v3-encrypted/x.broken'), ''), /created swarm\/raft\/wal-v3-encrypted\/x\.broken/],
    ['a file deleted', (d) => rmSync(join(d, SEG)), /deleted .*0007\.wal/],
  ];
  for (const [what, damage, message] of damages) {
    it(`fails on ${what}, naming the file`, () => {
      const { repo, unpacked } = fakeRepo();
      damage(unpacked);
      const r = check(repo);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, message);
      assert.match(r.out, /rm -rf \.fixtures\/corpus\/synth-nosnap/);
    });
  }
});
