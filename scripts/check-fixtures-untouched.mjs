// The read-only guarantee over a whole test run: after the tests, every fixture case unpacked under
// .fixtures/ must still be exactly what its archive holds (same files, bytes, sizes, modification times
// and modes; nothing added). The test files run in separate processes in any order, so this runs once
// after all of them (see `npm run test:unit`), reading the archives directly with its own tar reader.
//
//   node scripts/check-fixtures-untouched.mjs [--repair]
//
// --repair deletes the unpacked copies that differ, so the next run unpacks them again.
// Exit code 0 when nothing changed, 1 otherwise.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const repair = process.argv.includes('--repair');
const UNPACKED_MARKER = '.unpacked';

/** Every entry of a .tar.gz: path, type, mode, mtime, size and (files) sha256. GNU and pax long names. */
async function readArchive(path) {
  const entries = new Map();
  let pending = Buffer.alloc(0);
  let current; // { header, remaining, hash, padding }
  let longName;
  let paxPath;
  const take = (n) => {
    const out = pending.subarray(0, n);
    pending = pending.subarray(n);
    return out;
  };
  const field = (h, start, length) => h.subarray(start, start + length).toString('latin1').replace(/\0.*$/s, '');
  const octal = (h, start, length) => {
    if (h[start] & 0x80) return Number(h.readBigUInt64BE(start + length - 8)); // base-256 (large values)
    return parseInt(field(h, start, length).trim() || '0', 8);
  };
  const finish = () => {
    const { header, data } = current;
    const type = header.type;
    if (type === 'L') longName = Buffer.concat(data).toString('latin1').replace(/\0.*$/s, '');
    else if (type === 'x') paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(Buffer.concat(data).toString('utf8'))?.[1];
    else if (type !== 'g' && type !== 'K') {
      const name = (paxPath ?? longName ?? header.name).replace(/\/$/, '');
      entries.set(name, { ...header, sha256: current.hash?.digest('hex') });
      longName = paxPath = undefined;
    }
    current = undefined;
  };
  for await (const chunk of createReadStream(path).pipe(createGunzip())) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      if (current) {
        const n = Math.min(current.remaining, pending.length);
        const piece = take(n);
        current.remaining -= n;
        if (current.hash) current.hash.update(piece);
        else current.data.push(Buffer.from(piece));
        if (current.remaining > 0) break;
        if (pending.length < current.padding) {
          current.remaining = 0;
          break;
        }
        take(current.padding);
        finish();
        continue;
      }
      if (pending.length < 512) break;
      const h = take(512);
      if (h.every((b) => b === 0)) continue; // end-of-archive blocks
      const prefix = field(h, 345, 155);
      const header = {
        name: h.subarray(257, 263).toString('latin1') === 'ustar\0' && prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100),
        mode: octal(h, 100, 8),
        size: octal(h, 124, 12),
        mtime: octal(h, 136, 12),
        type: String.fromCharCode(h[156] || 0x30),
        linkname: field(h, 157, 100),
      };
      const meta = header.type === 'L' || header.type === 'x' || header.type === 'K' || header.type === 'g';
      current = { header, remaining: header.size, padding: (512 - (header.size % 512)) % 512, data: [], hash: meta ? undefined : createHash('sha256') };
      if (header.size === 0) finish();
    }
  }
  return entries;
}

async function sha256(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

function listTree(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      out.push(relative(dir, p));
      if (lstatSync(p).isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** What differs between the archive's entries (under `top/`) and the unpacked tree at `dir`. */
async function compare(entries, top, dir) {
  const diffs = [];
  const umask = process.umask();
  const expected = new Set();
  for (const [name, e] of entries) {
    if (name === top) continue;
    if (!name.startsWith(top + '/')) {
      diffs.push(`archive entry outside ${top}/: ${name}`);
      continue;
    }
    const rel = name.slice(top.length + 1);
    expected.add(rel);
    const path = join(dir, rel);
    let st;
    try {
      st = lstatSync(path);
    } catch {
      diffs.push(`deleted ${rel}`);
      continue;
    }
    const perms = st.mode & 0o7777;
    const modeOk = perms === (e.mode & 0o7777) || perms === (e.mode & 0o7777 & ~umask);
    if (e.type === '5') {
      if (!st.isDirectory()) diffs.push(`changed ${rel}: no longer a directory`);
      else if (!modeOk) diffs.push(`changed ${rel}: mode ${perms.toString(8)}, archive ${e.mode.toString(8)}`);
    } else if (e.type === '2') {
      if (!st.isSymbolicLink() || readlinkSync(path) !== e.linkname) diffs.push(`changed ${rel}: symlink`);
    } else if (e.type === '0' || e.type === '7') {
      if (!st.isFile()) diffs.push(`changed ${rel}: no longer a regular file`);
      else if (st.size !== e.size) diffs.push(`changed ${rel}: size ${st.size}, archive ${e.size}`);
      else if (Math.floor(st.mtimeMs / 1000) !== e.mtime) diffs.push(`changed ${rel}: modified at ${new Date(st.mtimeMs).toISOString()}, archive ${new Date(e.mtime * 1000).toISOString()}`);
      else if (!modeOk) diffs.push(`changed ${rel}: mode ${perms.toString(8)}, archive ${e.mode.toString(8)}`);
      else if ((await sha256(path)) !== e.sha256) diffs.push(`changed ${rel}: content (same size and time)`);
    }
  }
  for (const rel of listTree(dir)) if (!expected.has(rel) && rel !== UNPACKED_MARKER) diffs.push(`created ${rel}`);
  return diffs;
}

async function main() {
  let checked = 0;
  let skipped = 0;
  let files = 0;
  let damaged = 0;
  for (const kind of ['corpus', 'generated']) {
    const archives = join(root, 'test', 'fixtures', kind);
    if (!existsSync(archives)) continue;
    for (const file of readdirSync(archives).filter((f) => f.endsWith('.tar.gz')).sort()) {
      const name = file.slice(0, -'.tar.gz'.length);
      const dir = join(root, '.fixtures', kind, name);
      if (!existsSync(join(dir, UNPACKED_MARKER))) {
        skipped++;
        continue;
      }
      const entries = await readArchive(join(archives, file));
      const diffs = await compare(entries, name, dir);
      checked++;
      files += [...entries.values()].filter((e) => e.type === '0').length;
      if (diffs.length) {
        damaged++;
        console.error(`${relative(root, dir)}: changed during the tests (the read-only guarantee is broken, or a test damaged a fixture instead of a scratch copy):`);
        for (const d of diffs.slice(0, 20)) console.error(`  ${d}`);
        if (diffs.length > 20) console.error(`  ... and ${diffs.length - 20} more`);
        if (repair) {
          rmSync(dir, { recursive: true, force: true });
          console.error(`  removed: the next test run unpacks it again`);
        } else console.error(`  to unpack it again: rm -rf ${relative(root, dir)} (or run with --repair)`);
      }
    }
  }
  console.log(`fixtures untouched: ${checked - damaged} of ${checked} unpacked case(s) match their archives (${files} files); ${skipped} not unpacked in this run`);
  return damaged ? 1 : 0;
}

process.exitCode = await main();
