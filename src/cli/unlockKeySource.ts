// Where the CLI takes the unlock key from. A key on the command line leaks into shell history and `ps`,
// so a file or the SWARM_UNLOCK_KEY variable are offered too; the first one given wins, in this order.
import { readFileSync } from 'node:fs';

export interface UnlockKeyOptions {
  unlockKey?: string;
  unlockKeyFile?: string;
}

export function resolveUnlockKey(options: UnlockKeyOptions, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (options.unlockKey) return options.unlockKey;
  if (options.unlockKeyFile) return readFileSync(options.unlockKeyFile, 'utf8').trim();
  const fromEnv = env.SWARM_UNLOCK_KEY?.trim();
  return fromEnv ? fromEnv : undefined;
}
