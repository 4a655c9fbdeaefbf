// The kit's report (what Compose cannot carry, object by object) and its README, as Markdown.
import { SERVICES_FILE, SERVICES_STACK, type RecoveryKit } from './kit';
import { jsonText, type Json } from './values';

function value(v: Json | undefined): string {
  if (v === undefined) return '(absent)';
  const t = jsonText(v, 0);
  return `\`${t.length > 200 ? `${t.slice(0, 200)}...` : t}\``;
}

export function reportText(kit: RecoveryKit, index: bigint): string {
  const out = [`# What Compose cannot carry (state at raft index ${index})`, '',
    'Each object below differs, after `docker stack deploy` of its Compose file, from the source swarm',
    'in the fields listed (source value -> value after the deploy; ids compared by name). The Engine API',
    `form (\`engine-api.json\`, used by \`swarm-raft restore\`) carries all of them.`, ''];
  if (!kit.report.length) out.push('Nothing: every object is carried whole by its Compose file.', '');
  for (const e of kit.report) {
    out.push(`## ${e.kind} \`${e.name}\`${e.file ? ` (${e.file})` : ''}`, '');
    for (const n of e.notes) out.push(`- ${n}`);
    for (const d of e.differences) out.push(`- \`${d.path}\`: ${value(d.source)} -> ${value(d.other)}`);
    out.push('');
  }
  return out.join('\n');
}

export function kitReadme(kit: RecoveryKit, index: bigint): string {
  const stacks = kit.compose.filter((c) => c.stack !== undefined);
  const services = kit.compose.find((c) => c.stack === undefined);
  return [
    `# Swarm recovery kit (raft index ${index})`, '',
    '**This folder holds every secret and config of the swarm in clear** (`secrets/`, `configs/`,',
    '`engine-api.json`). Keep it where only you can read it, and delete it when done.', '',
    `Counts: ${kit.engine.services.length} services, ${kit.engine.networks.length} networks, ${kit.engine.secrets.length} secrets, ${kit.engine.configs.length} configs, ${kit.engine.volumes.length} cluster volumes, ${kit.engine.nodes.length} nodes.`, '',
    '## Restore everything (lossless)', '',
    'On a manager of the new swarm (or with `--docker-host`):', '',
    '```sh', 'swarm-raft restore THIS_FOLDER            # prints the plan: create / exists-identical / conflict',
    'swarm-raft restore THIS_FOLDER --apply    # networks, secrets, configs, volumes, then services; node labels',
    'swarm-raft restore THIS_FOLDER --apply --cluster-settings   # also raft, dispatcher, CA expiry, task history, autolock', '```', '',
    '## Or deploy the Compose files', '',
    'In this folder (the files read `./secrets/` and `./configs/`), in this order:', '',
    '```sh',
    ...(services ? [`docker stack deploy -c ${SERVICES_FILE} ${SERVICES_STACK}`] : []),
    ...stacks.map((c) => `docker stack deploy -c ${c.name} ${c.stack}`),
    '```', '',
    `\`report.md\` lists, object by object, every field the Compose files cannot carry (services outside stacks get the prefix \`${SERVICES_STACK}_\`, for one). Services in job mode need Docker CLI 23 or newer.`,
    'Templated secrets and configs keep their template driver.', '',
  ].join('\n');
}
