// Deterministic sample data for the dev harness and UI tests: N entries of mixed kinds, an XSS-y object
// name, a secret whose payload is hidden until revealed, a conf change, unreadable and flagged rows.
import type { EntryDetail, EntryRow, FieldNode, OverviewModel } from '../../src/shared/protocol';

export const XSS_NAME = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';
export const SECRET_SEQ = 3;
export const XSS_SEQ = 5;
export const CONF_SEQ = 0;
export const LOCKED_SEQ = 7;
export const SECRET_TEXT = 'hunter2\n';

const KINDS = ['node', 'service', 'task', 'network', 'cluster', 'secret', 'config'];

export function sampleRow(seq: number): EntryRow {
  const index = String(seq + 1 - (seq > 40 ? 2 : 0));
  const term = String(1 + Math.floor(seq / 1000));
  if (seq === CONF_SEQ) {
    return base(seq, index, term, 'EntryConfChange', 'AddNode 1a2b3c4d (10.0.0.2:2377)', 64);
  }
  if (seq === LOCKED_SEQ) {
    return { ...base(seq, index, term, 'EntryNormal', 'locked until the swarm is unlocked', 300), status: 'locked', actions: [] };
  }
  const kind = seq === SECRET_SEQ ? 'secret' : seq === XSS_SEQ ? 'service' : KINDS[seq % KINDS.length];
  const action = seq % 11 === 0 ? 'REMOVE' : seq % 3 === 0 ? 'UPDATE' : 'CREATE';
  const name = seq === XSS_SEQ ? XSS_NAME : seq === SECRET_SEQ ? 'db-password' : `${kind}-${seq}`;
  const row = base(seq, index, term, 'EntryNormal', `${action} ${kind} ${name}`, 200 + ((seq * 37) % 900));
  row.actions = [{ action, kind, id: objectId(seq), name }];
  row.uncommitted = seq % 997 === 996;
  row.overwritten = seq === 39 || seq === 40;
  row.crcOk = seq !== 13;
  return row;
}

function base(seq: number, index: string, term: string, type: string, summary: string, size: number): EntryRow {
  return { seq, index, term, type, status: 'ok', summary, actions: [], size, uncommitted: false, overwritten: false, crcOk: true };
}

export function objectId(seq: number): string {
  return `${(seq * 2654435761 >>> 0).toString(36)}${'x'.repeat(8)}`.slice(0, 25).padEnd(25, '0');
}

export function sampleRows(total: number, filter: string | undefined): (start: number, count: number) => { total: number; rows: EntryRow[] } {
  if (!filter) {
    return (start, count) => {
      const rows: EntryRow[] = [];
      for (let s = start; s < Math.min(total, start + count); s++) rows.push(sampleRow(s));
      return { total, rows };
    };
  }
  const needle = filter.toLowerCase();
  const matches: EntryRow[] = [];
  for (let s = 0; s < total; s++) {
    const row = sampleRow(s);
    if (`${row.index} ${row.type} ${row.summary}`.toLowerCase().includes(needle)) matches.push(row);
  }
  return (start, count) => ({ total: matches.length, rows: matches.slice(start, start + count) });
}

export function sampleOverview(total: number, locked: boolean): OverviewModel {
  return {
    fileName: '0000000000000000-0000000000000001.wal',
    filePath: '/var/lib/docker/swarm/raft/wal-v3-encrypted/0000000000000000-0000000000000001.wal',
    fileKind: 'wal',
    fileSize: 64 * 1024 * 1024,
    stateDir: '/var/lib/docker/swarm',
    clusterId: 'k3q9v0x1m2n3b4v5c6x7z8a9s',
    nodeId: 'p0o9i8u7y6t5r4e3w2q1a2s3d',
    keyState: locked ? 'locked' : 'open',
    keyMessage: locked ? 'The raft DEK is encrypted: run "Unlock…" with the key from `docker swarm unlock-key`.' : undefined,
    segments: [
      { name: '0000000000000000-0000000000000001.wal', size: 64 * 1024 * 1024, entries: Math.ceil(total * 0.7), end: 61_000_000 },
      { name: '0000000000000001-00000000000036b1.wal', size: 64 * 1024 * 1024, entries: Math.floor(total * 0.3), end: 20_000_123 },
    ],
    snapshots: [{ name: '0000000000000002-00000000000036b0.snap', index: '14000', term: '2', size: 123_456, valid: true }],
    hardState: { term: '5', vote: '1a2b3c4d', commit: String(total - 2) },
    member: { raftId: '1a2b3c4d', nodeId: 'p0o9i8u7y6t5r4e3w2q1a2s3d', addr: '10.0.0.1:2377' },
    entryCount: total,
    byAction: [
      { label: 'CREATE', count: Math.round(total * 0.55) },
      { label: 'UPDATE', count: Math.round(total * 0.33) },
      { label: 'REMOVE', count: Math.round(total * 0.09) },
      { label: XSS_NAME, count: 1 },
    ],
    byKind: KINDS.map((kind, i) => ({ label: kind, count: Math.round(total / (i + 2)) })),
    faults: [
      { file: '0000000000000001-00000000000036b1.wal', offset: 20_000_123, message: 'torn write: record length runs past the end of the segment', severity: 'warning' },
      { file: '0000000000000000-0000000000000001.wal', offset: 4096, message: `CRC mismatch in record 13 ${XSS_NAME}`, severity: 'error' },
    ],
  };
}

export function sampleDetail(seq: number): EntryDetail {
  const row = sampleRow(seq);
  const detail: EntryDetail = { seq, index: row.index, term: row.term, type: row.type, status: row.status, actions: [] };
  if (seq === CONF_SEQ) {
    detail.confChange = { type: 'ConfChangeAddNode', nodeId: '1a2b3c4d', member: { raftId: '1a2b3c4d', nodeId: 'p0o9i8u7y6t5r4e3w2q1a2s3d', addr: '10.0.0.2:2377' } };
    return detail;
  }
  if (row.status !== 'ok') {
    detail.message = 'The raft DEK is locked: unlock the swarm to read this entry.';
    return detail;
  }
  detail.requestId = '9f8e7d6c5b4a';
  detail.keyLabel = 'raft DEK (current)';
  const a = row.actions[0];
  const fields: FieldNode = seq === SECRET_SEQ ? secretFields(a.id, a.name) : serviceFields(a.id, a.name);
  const plain = JSON.stringify(toJson(fields), null, 2);
  detail.actions.push({
    action: a.action,
    kind: a.kind,
    id: a.id,
    name: a.name,
    version: String(100 + seq),
    createdAt: '2024-05-01T10:20:30.123456789Z',
    updatedAt: '1714559000',
    fields,
    text: `${a.action} ${a.kind} ${a.id}\n${plain.replace(/[{}",]/g, '')}`,
    json: plain,
    links: [
      { label: 'network ingress', kind: 'network', id: 'ingress0000000000000000000' },
      { label: `service ${XSS_NAME}`, kind: 'service', id: objectId(XSS_SEQ) },
    ],
  });
  return detail;
}

function leaf(name: string, value: string): FieldNode {
  return { name, value };
}

function meta(id: string): FieldNode[] {
  return [
    leaf('id', id),
    { name: 'meta', children: [
      { name: 'version', children: [leaf('index', '1234')] },
      leaf('created_at', '2024-05-01T10:20:30.123456789Z'),
      leaf('updated_at', '2024-05-01T10:25:00Z'),
    ] },
  ];
}

function secretFields(id: string, name: string): FieldNode {
  return { name: 'secret', children: [
    ...meta(id),
    { name: 'spec', children: [
      { name: 'annotations', children: [leaf('name', name), { name: 'labels', children: [leaf('com.example.team', 'payments')] }] },
      { name: 'data', hidden: { bytes: SECRET_TEXT.length, revealPath: 'spec.data' } },
      { name: 'driver', children: [] },
    ] },
    leaf('internal', 'false'),
  ] };
}

function serviceFields(id: string, name: string): FieldNode {
  return { name: 'service', children: [
    ...meta(id),
    { name: 'spec', children: [
      { name: 'annotations', children: [leaf('name', name), { name: 'labels', children: [leaf('</script><b>x</b>', '"><svg onload=alert(3)>')] }] },
      { name: 'task', children: [
        { name: 'container', children: [
          leaf('image', 'nginx:1.27@sha256:' + 'ab'.repeat(32)),
          { name: 'env', children: [leaf('0', 'A=1'), leaf('1', 'B=2'), leaf('2', 'LONG=' + 'z'.repeat(400))] },
          leaf('command', 'line one\nline two'),
        ] },
        { name: 'resources', children: [{ name: 'limits', children: [leaf('nano_cpus', '500000000'), leaf('memory_bytes', '268435456')] }] },
      ] },
      { name: 'replicated', children: [leaf('replicas', '3')] },
      { name: 'networks', children: [{ name: '0', children: [leaf('target', 'ingress0000000000000000000')] }] },
    ] },
    { name: 'endpoint', children: [] },
  ] };
}

function toJson(node: FieldNode): unknown {
  if (node.hidden) return `<hidden ${node.hidden.bytes} bytes>`;
  if (!node.children) return node.value;
  const out: Record<string, unknown> = {};
  for (const c of node.children) out[c.name] = toJson(c);
  return out;
}
