// swarm-raft capture: copy a manager's swarm directory through the Docker Engine API (src/core/capture).
import type { Command } from 'commander';
import { captureState, formatBytes } from '../../core/capture/capture';
import { resolveUnlockKey } from '../unlockKeySource';
import type { GlobalOptions } from '../main';

interface CaptureFlags {
  output: string;
  dockerHost?: string;
  context?: string;
  certificates: boolean;
  redactedExport?: boolean;
}

export function registerCaptureCommand(program: Command): void {
  program
    .command('capture')
    .description("copy a manager's <DockerRootDir>/swarm through the Docker Engine API into OUT/swarm, with a manifest (needs only the access `docker service ls` needs)")
    .requiredOption('-o, --output <dir>', 'a new or empty local folder for the copy (OUT/swarm and OUT/capture-manifest.json)')
    .option('--docker-host <url>', 'the engine: unix:///path, tcp://host:port (TLS from DOCKER_TLS_VERIFY/DOCKER_CERT_PATH) or ssh://user@host; default as the docker CLI (DOCKER_HOST, DOCKER_CONTEXT, current context)')
    .option('--context <name>', 'a docker context (docker context ls)')
    .option('--no-certificates', 'leave out certificates/ (the node key and certificates are not even read from the host)')
    .option('--redacted-export', 'write a redacted text export (dump-wal --all, dump-snapshot; secrets hidden) instead of the files')
    .action(async (opts: CaptureFlags, cmd: Command) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const progress = process.stderr.isTTY ? (m: string) => process.stderr.write(`\r\x1b[K${m}`) : undefined;
      const result = await captureState({
        out: opts.output, dockerHost: opts.dockerHost, context: opts.context, certificates: opts.certificates,
        redactedExport: opts.redactedExport, onProgress: progress,
        unlockKey: opts.redactedExport ? resolveUnlockKey({ unlockKey: g.unlockKey, unlockKeyFile: g.unlockKeyFile }) : undefined,
      });
      if (progress) process.stderr.write('\r\x1b[K');
      const m = result.manifest;
      const what = m.options.redactedExport ? 'a redacted export' : `${m.files.length} files (${formatBytes(m.totalBytes)})`;
      process.stderr.write(`copied ${what} of node ${m.swarm.nodeId} (swarm ${m.swarm.clusterId}${m.swarm.autolock ? ', autolocked' : ''}) from ${m.endpoint.host}\n`);
      for (const action of m.hostActions) process.stderr.write(`  on the host: ${action}\n`);
      for (const torn of m.copyCheck.tornTail) process.stderr.write(`warning: live copy: ${torn}\n`);
      process.stderr.write(`manifest: ${result.manifestPath}\n`);
      if (result.stateDir) process.stdout.write(`${result.stateDir}\n`);
    });
}
