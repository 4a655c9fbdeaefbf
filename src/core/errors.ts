// Errors and faults that say where: every problem found in a file names the file and the byte offset,
// so a user can look at it with a hex editor and a test can assert the exact place.

/** A problem found while reading, kept alongside whatever could still be read. */
export interface Fault {
  file: string;
  /** Byte offset in `file` where the problem starts (0 when it concerns the whole file). */
  offset: number;
  message: string;
  /** `error` = data lost or unreadable; `warning` = suspicious but handled (e.g. a torn tail). */
  severity: 'error' | 'warning';
}

export function formatFault(f: Fault): string {
  return `${f.file}:${f.offset}: ${f.message}`;
}

/** Thrown where reading cannot go on at all (e.g. no WAL directory); carries the same place as a Fault. */
export class RaftReadError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly offset?: number,
  ) {
    super(file === undefined ? message : `${file}:${offset ?? 0}: ${message}`);
    this.name = 'RaftReadError';
  }
}

/** The unlock key is not of the form SWMKEY-1-<43 base64 chars>. */
export class InvalidUnlockKeyError extends Error {
  constructor(reason: string) {
    super(`not a valid unlock key: ${reason}`);
    this.name = 'InvalidUnlockKeyError';
  }
}

/** The unlock key is well-formed but does not open this node's key (authentication failed). */
export class WrongUnlockKeyError extends Error {
  constructor(file: string) {
    super(`the unlock key does not open this swarm (${file}): the key may have been rotated, or belongs to another swarm`);
    this.name = 'WrongUnlockKeyError';
  }
}

/** The swarm is autolocked and no unlock key was given. */
export class LockedError extends Error {
  constructor(file: string) {
    super(`the swarm is locked (${file}): an unlock key (SWMKEY-1-...) is needed to read its data keys`);
    this.name = 'LockedError';
  }
}
