// The node certificate's subject names the cluster (O=), the role (OU=) and the node (CN=): the cluster id
// is the SecretStorage key for an unlock key, the node id tells which manager a directory belongs to.
import { X509Certificate } from 'node:crypto';
import { readRegularFile } from '../io/fileWindow';

export interface NodeIdentity {
  clusterId?: string;
  nodeId?: string;
  role?: string;
}

export function readNodeIdentity(certFile: string): NodeIdentity {
  const cert = new X509Certificate(readRegularFile(certFile));
  const fields = new Map<string, string>();
  for (const line of cert.subject.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return { clusterId: fields.get('O'), role: fields.get('OU'), nodeId: fields.get('CN') };
}
