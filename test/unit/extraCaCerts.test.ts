// Which command lines the launcher starts again with NODE_EXTRA_CA_CERTS (src/cli/extraCaCerts.ts), held to
// the program's own options and commands so that a new option or command cannot slip past it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildProgram } from '../../src/cli/main';
import { GLOBAL_VALUE_OPTIONS, OFFLINE_COMMANDS, commandOf, needsExtraCaCerts } from '../../src/cli/extraCaCerts';

/** The commands that open a connection to a Docker engine (the Engine API). */
const ENGINE_COMMANDS = ['capture', 'restore'];

describe('extra CA certificates: the command of a command line', () => {
  it('finds the command after global options and their values, whatever the values are called', () => {
    assert.equal(commandOf(['-d', 'capture', 'dump-wal', '--redact']), 'dump-wal');
    assert.equal(commandOf(['--state-dir', 'restore', '--key-file', 'a', '--key-file', 'b', 'repair', '-o', 'x']), 'repair');
    assert.equal(commandOf(['--unlock-key-file', 'k', '--node-key', 'n', '--unlock-key', 'SWMKEY-1-x', 'capture']), 'capture');
    assert.equal(commandOf(['--state-dir=restore', 'stats']), 'stats');
    assert.equal(commandOf(['--', 'restore']), 'restore');
    assert.equal(commandOf(['--help']), undefined);
    assert.equal(commandOf([]), undefined);
  });
  it('moves the certificates aside only for commands that open no connection', () => {
    for (const c of OFFLINE_COMMANDS) assert.equal(needsExtraCaCerts(['-d', 'capture', c]), false, c);
    for (const c of ENGINE_COMMANDS) assert.equal(needsExtraCaCerts(['-d', 'dump-wal', c, '-o', 'x']), true, c);
    assert.equal(needsExtraCaCerts(['not-a-command']), true, 'an unknown word could be a command added later');
    assert.equal(needsExtraCaCerts(['--help']), false);
  });
});

describe('extra CA certificates: held to the program', () => {
  const program = buildProgram();
  it('knows every global option that takes a value, as main.ts declares them', () => {
    const declared = program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.short, o.long].filter((f): f is string => !!f));
    assert.deepEqual([...GLOBAL_VALUE_OPTIONS].sort(), declared.sort());
  });
  it('classifies every command: offline, or one that talks to an engine', () => {
    const names = program.commands.map((c) => c.name()).sort();
    assert.deepEqual(names, [...OFFLINE_COMMANDS, ...ENGINE_COMMANDS].sort());
  });
});
