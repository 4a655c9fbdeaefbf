// `scripts/launch.sh` without desktop VS Code: serves the workbench with the extension installed on
// 127.0.0.1, opened on the given folder, until Ctrl-C (then the server's process group is stopped).
//   node --import tsx test/harness/launchCodeServer.ts <folder> [--check]
// --check: start, load the page once, stop (used by the test run to keep this command working).
// Port: $SWARM_RAFT_PORT, else 8765 when free, else any free port.
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { freeLoopbackPort, startCodeServer } from './codeServer';

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer().once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const folder = resolve(args.find((a) => !a.startsWith('--')) ?? '.');
  const check = args.includes('--check');
  const port = process.env.SWARM_RAFT_PORT
    ? Number(process.env.SWARM_RAFT_PORT)
    : (await portIsFree(8765)) ? 8765 : await freeLoopbackPort();

  const server = await startCodeServer({ name: 'launch', installExtension: true, folder, port });
  const url = `${server.origin}/?folder=${encodeURIComponent(folder)}`;
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      await server.stop();
    }
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(0));

  if (check) {
    const res = await fetch(url);
    const ok = res.ok && (await res.text()).includes('vscode-workbench-web-configuration');
    console.log(`launch check: VS Code ${server.install.vscodeVersion} at ${url}: ${ok ? 'ok' : `failed (HTTP ${res.status})`}`);
    await stop(ok ? 0 : 1);
  }
  console.log(`\nSwarm Raft Explorer in VS Code ${server.install.vscodeVersion} (code-server ${server.install.version}):\n\n  ${url}\n`);
  console.log(`Open it in a browser on this machine. Logs: ${server.logDir}. Ctrl-C stops the server.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
