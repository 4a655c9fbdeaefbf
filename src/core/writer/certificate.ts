// X.509 certificates for a written state directory: a root CA (CN=swarm-ca) and the node certificate
// whose subject the reader takes the identity from (O=<cluster id>, OU=<role>, CN=<node id>), with the
// extensions SwarmKit puts there. node:crypto can parse certificates but not issue them, so the DER is
// built here and signed with deterministic ECDSA: the same seed gives the same certificate.
import { bitString, boolean, explicit, implicitPrimitive, integer, octetString, oid, OID, sequence, set, utcTime, utf8String } from './der';
import { p256Sign, type P256Key } from './p256';
import { p256SubjectPublicKeyInfo } from './pkcs8';

export interface NameParts {
  O?: string;
  OU?: string;
  CN: string;
}

export interface CertificateInput {
  subject: NameParts;
  subjectKey: P256Key;
  issuer: NameParts;
  issuerKey: P256Key;
  /** Positive, at most 20 bytes. */
  serial: bigint;
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
  dnsNames?: string[];
}

export function issueCertificate(c: CertificateInput): Buffer {
  const signatureAlgorithm = sequence(oid(OID.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, integer(2)), // v3
    integer(c.serial),
    signatureAlgorithm,
    encodeName(c.issuer),
    sequence(utcTime(c.notBefore), utcTime(c.notAfter)),
    encodeName(c.subject),
    p256SubjectPublicKeyInfo(c.subjectKey),
    explicit(3, sequence(...extensions(c))),
  );
  const { r, s } = p256Sign(c.issuerKey.privateKey, tbs);
  return sequence(tbs, signatureAlgorithm, bitString(sequence(integer(r), integer(s))));
}

export function certificatePem(der: Uint8Array): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function encodeName(name: NameParts): Buffer {
  const rdn = (type: string, value: string) => set(sequence(oid(type), utf8String(value)));
  const parts: Buffer[] = [];
  if (name.O !== undefined) parts.push(rdn(OID.organization, name.O));
  if (name.OU !== undefined) parts.push(rdn(OID.organizationalUnit, name.OU));
  parts.push(rdn(OID.commonName, name.CN));
  return sequence(...parts);
}

function extensions(c: CertificateInput): Buffer[] {
  // The extension value is its DER wrapped in an OCTET STRING.
  const ext = (id: string, critical: boolean, value: Buffer) =>
    sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
  // KeyUsage bits (first byte, MSB first): digitalSignature 0x80, keyEncipherment 0x20, keyCertSign 0x04, cRLSign 0x02.
  const keyUsage = c.isCA ? Buffer.from([0x03, 0x02, 0x01, 0x06]) : Buffer.from([0x03, 0x02, 0x05, 0xa0]);
  const out = [
    ext(OID.keyUsage, true, keyUsage),
    ext(OID.basicConstraints, true, c.isCA ? sequence(boolean(true)) : sequence()),
  ];
  if (!c.isCA) out.push(ext(OID.extKeyUsage, false, sequence(oid(OID.serverAuth), oid(OID.clientAuth))));
  if (c.dnsNames?.length) {
    out.push(ext(OID.subjectAltName, false, sequence(...c.dnsNames.map((n) => implicitPrimitive(2, Buffer.from(n, 'latin1'))))));
  }
  return out;
}
