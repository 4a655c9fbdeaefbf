// Compiles proto/**/*.proto into the JSON descriptor the runtime loads
// (src/core/proto/schema.json), so no .proto parsing happens at run time.
//   node scripts/build-proto.mjs [--out <file>]
// Field names keep their .proto spelling (--keep-case): the text printer
// prints them verbatim.
import { createRequire } from 'node:module';
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { pbjs } = require('protobufjs-cli');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const protoDir = join(root, 'proto');
const outIndex = process.argv.indexOf('--out');
const outFile = outIndex > 0 ? process.argv[outIndex + 1] : join(root, 'src', 'core', 'proto', 'schema.json');

/** Every .proto under proto/, sorted, so the output does not depend on directory order. */
function protoFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? protoFiles(join(dir, e.name)) : e.name.endsWith('.proto') ? [join(dir, e.name)] : []))
    .sort();
}

/**
 * Go's gogo runtime (what SwarmKit writes and reads with) never checks that proto3 strings are
 * UTF-8, but protobufjs rejects the whole message when one is not. Turn the check off for every
 * proto3 message (proto2 ones carry "edition" and never check); such bytes decode as U+FFFD.
 * Only expressible as an editions feature, hence done here rather than in the .proto files.
 */
function withoutUtf8Validation(namespace) {
  for (const child of Object.values(namespace.nested ?? {})) {
    if (child.fields && !child.edition) child.options = { ...child.options, features: { utf8_validation: 'NONE' } };
    withoutUtf8Validation(child);
  }
  return namespace;
}

const inputs = protoFiles(protoDir).map((f) => relative(root, f));
const json = await new Promise((resolve, reject) => {
  pbjs.main(['--target', 'json', '--keep-case', '--path', 'proto', ...inputs], (err, output) => (err ? reject(err) : resolve(output)));
});

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(withoutUtf8Validation(JSON.parse(json)), null, 2)}\n`);
console.log(`wrote ${relative(process.cwd(), outFile)} from ${inputs.length} .proto files`);
