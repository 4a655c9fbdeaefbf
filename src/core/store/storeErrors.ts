// The store's errors, worded exactly as SwarmKit's (the reference prints them as `Error: <message>`).

export type StoreErrorCode =
  | 'exist'
  | 'not-exist'
  | 'name-conflict'
  | 'unregistered-kind'
  | 'immutable'
  | 'extension-in-use'
  | 'unrecognized-action';

const MESSAGES: Record<Exclude<StoreErrorCode, 'unregistered-kind'>, string> = {
  exist: 'object already exists',
  'not-exist': 'object does not exist',
  'name-conflict': 'name conflicts with an existing object',
  immutable: 'extensions are immutable',
  'extension-in-use': 'cannot delete extension because objects of this type exist in the data store',
  'unrecognized-action': 'unrecognized action type',
};

/** A store rule refused a change; the message is SwarmKit's own. */
export class StoreError extends Error {
  private constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }

  static of(code: Exclude<StoreErrorCode, 'unregistered-kind'>): StoreError {
    return new StoreError(code, MESSAGES[code]);
  }

  /** A resource whose kind names no registered extension. */
  static unregisteredKind(kind: string): StoreError {
    return new StoreError('unregistered-kind', `object kind ${kind} is unregistered`);
  }
}
