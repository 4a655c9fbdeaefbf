// Compiles what runs outside tsx: the extension-host test suite (test/extension/** -> dist/test/extension,
// loaded by VS Code's extension host), the extension-host benchmarks (bench/extension -> dist/bench/extension)
// and the code-server shim used as runTests' vscodeExecutablePath.
// Dependencies stay external: they resolve from the repo's node_modules at run time.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function tsFiles(dir, keep) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path, keep);
    return keep(e.name) ? [path] : [];
  });
}

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, packages: 'external', logLevel: 'warning', absWorkingDir: root };

await build({
  ...common,
  entryPoints: tsFiles('test/extension', (n) => n === 'index.ts' || n.endsWith('.test.ts')),
  outdir: 'dist/test/extension',
  outbase: 'test/extension',
});
await build({ ...common, entryPoints: ['test/harness/codeServerShim.ts'], outdir: 'dist/test/harness', outbase: 'test/harness' });
// The extension-host benchmarks (bench/extension, run by npm run bench:extension) load the same way.
await build({
  ...common,
  entryPoints: tsFiles('bench/extension', (n) => n === 'index.ts' || n.endsWith('.bench.ts')),
  outdir: 'dist/bench/extension',
  outbase: 'bench/extension',
});
console.log(`built extension tests and shim into ${relative(process.cwd(), join(root, 'dist/test')) || 'dist/test'}, extension benchmarks into dist/bench/extension`);
