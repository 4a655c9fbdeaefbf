// Bundles the CLI, the extension host code and the webview app with esbuild.
// Entry points that do not exist yet are skipped so the build stays usable while the tree grows.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { buildNative } from './buildNative.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

// A native addon cannot be bundled: Node loads it from node_modules at run time, where it is installed
// (src/core/crypto/crc32c.ts falls back to portable code where it is not, as in the packaged extension).
// dockerode's ssh2 tries two optional addons (cpu-features, sshcrypto.node) inside try/catch and works
// without them: they stay outside the bundles too.
const native = ['@node-rs/crc32', 'sodium-native', 'cpu-features', '*.node'];

// Libraries only some commands use (the Docker clients, YAML, tar, libsodium's WebAssembly build) are bundled
// into files of their own under dist/vendor/ and required when first used: compiling them took ~170 ms and
// 30 MB at every start of the CLI and the extension host although reading a log never needs them.
const lazyLibraries = ['dockerode', 'docker-modem', 'tar-stream', 'yaml', 'libsodium-wrappers'];
const lazyLibrary = {
  name: 'lazy-library',
  setup(b) {
    const filter = new RegExp(`^(${lazyLibraries.join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: `./vendor/${args.path}.js`, external: true }));
  },
};
// Node's modules for network, processes, threads and crypto, which reading a log uses rarely or never, are
// loaded on first use: a bundle's `require("node:https")` lines all run when it starts (esbuild hoists every
// module's imports), and these took ~25 ms of each CLI run (2026-12-06). Each becomes a stand-in that
// requires the module at the first use of one of its exports; imports compile to property accesses
// (`import_node_https.Agent`), so the code reads as it did. esbuild's interop copies an imported module's
// export names when the bundle starts: the stand-in lists them from this Node (the oldest supported, 20,
// or newer: a name only newer Nodes have is undefined on older ones, as it would be anyway).
const deferredBuiltins = ['crypto', 'https', 'http', 'child_process', 'worker_threads', 'net', 'tls'];
const require = createRequire(import.meta.url);
const deferBuiltins = {
  name: 'defer-builtins',
  setup(b) {
    const filter = new RegExp(`^(node:)?(${deferredBuiltins.join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.namespace === 'deferred-builtin' ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'deferred-builtin' });
    b.onLoad({ filter: /.*/, namespace: 'deferred-builtin' }, (args) => ({
      loader: 'js',
      contents: `let loaded;
const load = () => (loaded ??= require('node:${args.path}'));
const names = ${JSON.stringify(Object.getOwnPropertyNames(require(`node:${args.path}`)))};
module.exports = new Proxy({}, {
  get: (_, key) => (key === '__esModule' ? undefined : load()[key]),
  has: (_, key) => key in load(),
  ownKeys: () => names,
  getOwnPropertyDescriptor: (_, key) => (names.includes(key) ? { configurable: true, enumerable: true, writable: false, value: undefined } : undefined),
});
`,
    }));
  },
};

const vendorTargets = lazyLibraries.map((name) => ({
  entryPoints: [name], outfile: `dist/vendor/${name}.js`, platform: 'node', target: 'node20', format: 'cjs', external: native,
}));

const targets = [
  // CLI: `node dist/cli.js ...` and the package's `swarm-raft` bin, a launcher that runs the CLI bundle
  // (dist/cli-main.js) with its code cache (written below). Run as an executable, it is a shell script
  // whose second line starts Node on the same file with NODE_EXTRA_CA_CERTS moved aside (src/cli/extraCaCerts.ts
  // says why) and a young generation of 2 MB (launch.ts says why); to Node that line is a string and a
  // comment. (`env -S` in the shebang would do it too, but BusyBox's env, Alpine's, does not take -S.)
  { entryPoints: ['src/cli/launch.ts'], outfile: 'dist/cli.js', platform: 'node', target: 'node20', format: 'cjs', banner: { js: `#!/bin/sh\n':' //; exec env -u NODE_EXTRA_CA_CERTS SWARM_RAFT_NODE_EXTRA_CA_CERTS="\${NODE_EXTRA_CA_CERTS-}" node --min-semi-space-size=2 "$0" "$@"` } },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js', platform: 'node', target: 'node20', format: 'cjs', external: native },
  // Worker threads of the CLI's parallel text export (and the extension's exports).
  { entryPoints: ['src/core/parallel/textWorker.ts'], outfile: 'dist/textWorker.js', platform: 'node', target: 'node20', format: 'cjs', external: native },
  // Extension host.
  { entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', platform: 'node', target: 'node20', format: 'cjs', external: ['vscode', ...native] },
  // Worker thread used by the extension host for decoding off the main thread.
  { entryPoints: ['src/extension/worker/decodeWorker.ts'], outfile: 'dist/decodeWorker.js', platform: 'node', target: 'node20', format: 'cjs', external: native },
  // Webview app (browser).
  { entryPoints: ['webview/main.mts'], outfile: 'dist/webview.js', platform: 'browser', target: 'es2022', format: 'iife' },
  // Size statistics panel (browser): charts of the StatsModel, no toolkit.
  { entryPoints: ['webview/stats/main.ts'], outfile: 'dist/stats.js', platform: 'browser', target: 'es2022', format: 'iife' },
];

const nodeBundles = new Set(['dist/cli-main.js', 'dist/textWorker.js', 'dist/extension.js', 'dist/decodeWorker.js']);
for (const t of targets) {
  if (!existsSync(join(root, t.entryPoints[0]))) continue;
  await build({ ...common, ...t, plugins: nodeBundles.has(t.outfile) ? [lazyLibrary, deferBuiltins] : [] });
}
for (const t of vendorTargets) await build({ ...common, ...t, sourcemap: false });
// `dist/cli.js ...` runs from a clone as `swarm-raft` does once installed (npm makes its bin executable).
chmodSync(join(root, 'dist', 'cli.js'), 0o755);
// The CLI's native addon (src/native/: Poly1305 through OpenSSL, the record prefetcher), before the code cache is made with it.
buildNative(root);

// The CLI's code cache: made by running the bundle on corpus cases (its output is not wanted here).
const cache = spawnSync(process.execPath, [join(root, 'scripts', 'cliCodeCache.mjs')], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
if (cache.status !== 0) {
  process.stderr.write(`scripts/cliCodeCache.mjs failed (exit ${cache.status}):\n${cache.stderr}`);
  process.exit(1);
}
