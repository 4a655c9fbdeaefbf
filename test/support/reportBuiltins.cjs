// Preloaded into a CLI run by a test (node --require): prints, at exit, which of Node's own modules the
// process loaded, so the test can tell that the ones the build defers were not loaded for nothing.
process.on('exit', () => {
  const loaded = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
  process.stderr.write(`builtins loaded: ${loaded.join(' ')}\n`);
});
