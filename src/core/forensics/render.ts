// One store object as a document: the reference's protobuf text format, or indented JSON with
// SwarmKit's field names (uint64 as decimal strings, bytes as base64), optionally redacted.
import type { Message } from 'protobufjs';
import type { ObjectKind } from '../model/objects';
import { messageToJson } from '../report/dumpWalJson';
import { formatMessage } from '../text/protoText';
import { redactCluster, redactConfig, redactSecret, redactService, redactTask } from '../text/redact';

export type ObjectFormat = 'text' | 'json';

export interface RenderOptions {
  format?: ObjectFormat;
  /** The reference's --redact rules (secret/config data, env, registry auth, cluster keys). */
  redact?: boolean;
}

const REDACTORS: Partial<Record<ObjectKind, (m: Message) => Message>> = {
  cluster: redactCluster,
  secret: redactSecret,
  config: redactConfig,
  task: redactTask,
  service: redactService,
};

export function redactObject(kind: ObjectKind, object: Message): Message {
  return REDACTORS[kind]?.(object) ?? object;
}

/** The object's text; ends with a newline (an empty object gives ""). */
export function renderObject(kind: ObjectKind, object: Message, options: RenderOptions = {}): string {
  const shown = options.redact ? redactObject(kind, object) : object;
  if (options.format === 'json') return JSON.stringify(messageToJson(shown), null, 2) + '\n';
  return formatMessage(shown);
}
