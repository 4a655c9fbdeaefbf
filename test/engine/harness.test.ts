// The real-engine harness itself: a daemon starts in its sandbox, makes an autolocked swarm that comes back
// locked after a restart and opens with its key, and is gone after shutdown.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { engineSkipReason, withSandbox } from '../support/dockerd';

test('a sandboxed dockerd makes an autolocked swarm, restarts locked, unlocks, and stops', { skip: engineSkipReason() }, async () => {
  let pid: number | undefined;
  let dir = '';
  await withSandbox('harness', async (sb) => {
    dir = sb.dir;
    const d = await sb.startDaemon('m1');
    const ids = await d.init(['--autolock']);
    assert.match(ids.nodeId, /^[a-z0-9]{25}$/);
    assert.match(ids.unlockKey ?? '', /^SWMKEY-1-/);
    const secret = await d.docker(['secret', 'create', 'h1', '-'], { input: 'value' });
    assert.match(secret.out, /^[a-z0-9]{25}$/);
    assert.ok(existsSync(`${d.swarmDir}/raft/wal-v3-encrypted`), 'the swarm state is under the data root');
    await d.restart();
    assert.equal((await d.waitState(['locked'])).LocalNodeState, 'locked');
    await d.unlock(ids.unlockKey ?? '');
    assert.equal((await d.docker(['secret', 'ls', '--format', '{{.Name}}'])).out, 'h1');
    pid = d.hostPid;
    assert.ok(pid && existsSync(`/proc/${pid}`), 'the daemon runs');
  });
  assert.ok(pid && !existsSync(`/proc/${pid}`), 'the daemon is gone after shutdown');
  assert.ok(!existsSync(dir), 'the sandbox folder is removed');
});
