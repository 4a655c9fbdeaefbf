// Builds the CLI's native addon (src/native/*.c) into dist/native/cli_native.node with node-gyp,
// against the headers of the Node that runs this script. Optional: where it cannot be built (no C
// compiler, no Node headers) the build says so and goes on, and the CLI does without it. Built in
// a folder of its own under the system's temporary directory (removed after), and only when the
// source, the build file or the Node version changed since the last build (a stamp beside the output).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const SOURCES = ['addon.c', 'native.h', 'poly1305Verify.c', 'crc32c.c', 'recordPrefetch.c', 'binding.gyp'];

/** Where Node keeps its headers: <prefix>/include/node beside <prefix>/bin/node (nvm, /usr, /usr/local). */
export function nodeHeadersDir() {
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

/** Returns where the addon is, or undefined (with the reason printed) when it could not be built. */
export function buildNative(root) {
  const srcDir = join(root, 'src', 'native');
  const outDir = join(root, 'dist', 'native');
  const out = join(outDir, 'cli_native.node');
  const stampFile = join(outDir, 'cli_native.stamp');
  const stamp = createHash('sha256')
    .update(process.version)
    .update(process.arch)
    .update(SOURCES.map((f) => readFileSync(join(srcDir, f), 'utf8')).join('\0'))
    .digest('hex');
  if (existsSync(out) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return out;
  rmSync(outDir, { recursive: true, force: true });
  const nodedir = nodeHeadersDir();
  if (!nodedir) return skip(`no Node headers beside ${process.execPath}`);
  const work = mkdtempSync(join(tmpdir(), 'swarm-raft-native-'));
  try {
    for (const f of SOURCES) copyFileSync(join(srcDir, f), join(work, f));
    const gyp = spawnSync(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', `--nodedir=${nodedir}`, '--loglevel=warn'], {
      cwd: work, encoding: 'utf8', env: { ...process.env, npm_config_nodedir: nodedir },
    });
    if (gyp.status !== 0) return skip(`node-gyp failed (exit ${gyp.status}): ${(gyp.stderr || gyp.stdout).trim().split('\n').slice(-3).join(' / ')}`);
    mkdirSync(outDir, { recursive: true });
    copyFileSync(join(work, 'build', 'Release', 'cli_native.node'), out);
    writeFileSync(stampFile, stamp);
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function skip(why) {
  process.stderr.write(`native addon not built (${why}): the CLI checks Poly1305 tags with libsodium and reads big records on its own thread\n`);
  return undefined;
}
