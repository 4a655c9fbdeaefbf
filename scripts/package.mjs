// npm run package: production bundles, then the .vsix with @vscode/vsce (dependencies are bundled by
// esbuild, so none are packed). Checks that no test fixture or state data went in and prints the size.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `${pkg.name}-${pkg.version}.vsix`);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production']);
run(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--skip-license', '--no-rewrite-relative-links', '--out', out]);

// A .vsix is a zip: list it and refuse anything that looks like fixtures, swarm state or keys.
const listing = execFileSync('unzip', ['-Z1', out], { encoding: 'utf8' }).split('\n').filter(Boolean);
const forbidden = listing.filter((p) => /(^|\/)(\.fixtures|fixtures|test|test-results|swarm|raft|certificates)(\/|$)|\.(wal|snap|key|tar\.gz|map)$/.test(p.replace(/^extension\//, '')));
if (forbidden.length) {
  console.error(`the package holds files it must not:\n  ${forbidden.join('\n  ')}`);
  process.exit(1);
}
// The libraries bundled apart (scripts/build.mjs) are required by path at run time: each must be packed.
const lazyRequired = [...readFileSync(join(root, 'dist', 'extension.js'), 'utf8').matchAll(/require\("\.\/(vendor\/[^"]+)"\)/g)].map((m) => `extension/dist/${m[1]}`);
const missing = [...new Set(lazyRequired)].filter((p) => !listing.includes(p));
if (!lazyRequired.length || missing.length) {
  console.error(missing.length ? `the package lacks files the extension requires:\n  ${missing.join('\n  ')}` : 'found no library the extension loads on demand: scripts/build.mjs changed? update this check');
  process.exit(1);
}
const size = statSync(out).size;
console.log(`${out.slice(root.length + 1)}: ${listing.length} files, ${(size / 1024).toFixed(1)} KiB (${size} bytes)`);
