// "Swarm Raft: Copy State from a Docker Host..." run in the extension host against a real engine (issue
// #17): a Debian dockerd started here by test/support/dockerd.ts (its own namespaces and data root; needs
// root, as CI runs), the command's dialogs answered through its prompts. The copy lands in the chosen new
// folder with a manifest that says what it came from, dumps as the stopped engine's own directory does,
// leaves nothing on the engine, and a folder that is not empty is refused.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CaptureManifest } from '../../src/core/capture/manifest';
import { dumpSnapshotText } from '../../src/core/report/dumpSnapshot';
import { dumpWalText } from '../../src/core/report/dumpWal';
import { SwarmState } from '../../src/core/state/swarmState';
import type { SwarmRaftApi } from '../../src/extension/main';
import { engineSkipReason, withSandbox, type Dockerd } from '../support/dockerd';
import { api } from './raftFixtures';

/** What a host shows of containers and images: unchanged by a copy. */
async function hostObjects(d: Dockerd): Promise<string> {
  const containers = await d.docker(['ps', '-a', '--format', '{{.ID}} {{.Names}}']);
  const images = await d.docker(['images', '-a', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}']);
  return `containers:\n${containers.out}\nimages:\n${images.out}`;
}

/** dump-wal --all and dump-snapshot of a state directory, read by the core reader. */
function dumps(stateDir: string): { wal: string; snapshot: string } {
  const state = SwarmState.open(stateDir);
  try {
    const wal = [...dumpWalText(state, { all: true }, [])].join('');
    let snapshot: string;
    try {
      snapshot = dumpSnapshotText(state, {});
    } catch (e) {
      snapshot = `(no snapshot: ${(e as Error).message})`;
    }
    return { wal, snapshot };
  } finally {
    state.close();
  }
}

describe('Copy State from a Docker Host (a real engine)', function () {
  this.timeout(300_000);
  let a: SwarmRaftApi;
  let scratch: string;

  before(async () => {
    a = await api();
    scratch = mkdtempSync(join(tmpdir(), 'srx-capture-ext-'));
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('copies a running manager into the chosen new folder: manifest, same dumps, nothing left on the engine, a non-empty folder refused', async function () {
    const reason = engineSkipReason();
    if (reason) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    await withSandbox('capture-ext', async (sb) => {
      const d = await sb.startDaemon('m1');
      const ids = await d.init();
      // Objects of several kinds, and no image on the host: the command imports an empty one and removes it.
      await d.docker(['secret', 'create', 'capture-secret', '-'], { input: 'top secret value' });
      await d.docker(['config', 'create', 'capture-config', '-'], { input: 'config body' });
      await d.docker(['network', 'create', '-d', 'overlay', 'capture-net']);
      const before = await hostObjects(d);
      const version = (await d.docker(['version', '--format', '{{.Server.Version}}'])).out;

      const notEmpty = join(scratch, 'not-empty');
      const out = join(scratch, 'copy');
      mkdirSync(notEmpty);
      writeFileSync(join(notEmpty, 'keep.txt'), 'mine');
      const answers = [vscode.Uri.file(notEmpty), vscode.Uri.file(out)];
      const asked: string[] = [];
      const refused: string[] = [];
      let engineItems: string[] = [];
      const p = a.capture.prompts;
      p.engine = async (items) => {
        engineItems = items.map((i) => i.label);
        return items.find((i) => i.id === '');
      };
      p.host = async (o) => {
        assert.equal(o.validateInput?.('nonsense'), 'unix://, tcp:// or ssh://');
        return d.host;
      };
      p.output = {
        folder: async (o) => {
          asked.push(o.defaultUri!.fsPath);
          return answers.shift();
        },
        refused: (message) => refused.push(message),
      };
      p.options = async () => []; // a full copy
      p.done = async () => undefined; // neither a new window nor the workspace

      const result = await vscode.commands.executeCommand<{ manifest: CaptureManifest; manifestPath: string; stateDir?: string }>('swarmRaft.copyStateFromDockerHost');
      assert.ok(result, 'the command returned its result');
      assert.ok(engineItems.some((l) => l.includes('Enter a Docker host')));

      // The folder that is not empty is refused (said why) and left as it was; the question is asked again.
      assert.equal(asked.length, 2, 'asked again after the refusal');
      assert.equal(refused.length, 1);
      assert.match(refused[0], /not empty/);
      assert.deepEqual(readdirSync(notEmpty), ['keep.txt']);

      // OUT/swarm and the manifest beside it.
      assert.equal(result.stateDir, join(out, 'swarm'));
      assert.ok(existsSync(join(out, 'swarm', 'raft')), 'raft/ copied');
      assert.ok(existsSync(join(out, 'swarm', 'certificates', 'swarm-node.key')), 'certificates/ copied (a full copy)');
      assert.equal(result.manifestPath, join(out, 'capture-manifest.json'));
      const manifest = JSON.parse(readFileSync(result.manifestPath, 'utf8')) as CaptureManifest;
      assert.equal(manifest.engine.version, version);
      assert.equal(manifest.swarm.nodeId, ids.nodeId);
      assert.equal(manifest.swarm.clusterId, ids.clusterId);
      assert.equal(manifest.live, true);
      assert.ok(manifest.files.length > 0);
      for (const f of manifest.files) {
        const bytes = readFileSync(join(out, f.path));
        assert.equal(bytes.length, f.size, `${f.path}: size`);
        assert.equal(createHash('sha256').update(bytes).digest('hex'), f.sha256, `${f.path}: sha256`);
      }
      const done = manifest.hostActions.join('\n');
      assert.deepEqual(manifest.hostActions.map((s) => s.split(' ').slice(0, 2).join(' ')), ['imported an', 'created container', `read ${manifest.hostActions[2]?.split(' ')[1]}`, 'removed container', 'removed image'], done);
      assert.match(manifest.hostActions[1], /never started/, done);

      // Nothing is left on the engine: no container, and the imported image is gone.
      assert.equal(await hostObjects(d), before, 'the engine shows the same containers and images');

      // The copy dumps as the engine's own directory does once the engine is stopped.
      await d.stop();
      const copied = dumps(join(out, 'swarm'));
      assert.match(copied.wal, /capture-secret/);
      assert.deepEqual(copied, dumps(d.swarmDir));
    });
  });
});
