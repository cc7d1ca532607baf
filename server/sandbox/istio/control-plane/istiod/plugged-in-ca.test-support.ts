// A `cacerts` Secret as the plug-in CA task builds it: an offline root (`O=Mesh Academy Root`)
// and an intermediate for the cluster signed by it (EC unless asked otherwise, to exercise
// ECDSA signing); `cert-chain.pem` is the intermediate then the root.
import { generateKeyPairSync } from 'node:crypto';
import type { JsonObject } from '../../../core/json-object.ts';
import { issueCertificate } from './issue-certificate.ts';

export interface PluggedInCa {
  secret: JsonObject;
  rootPem: string;
  intermediatePem: string;
}

const YEAR = 365 * 86_400_000;

export function pluggedInCa(namespace: string, nowMs: number, options: { ecIntermediate?: boolean } = {}): PluggedInCa {
  const root = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const intermediate = options.ecIntermediate === false ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rootPem = issueCertificate({ serialHex: '0a11ce', issuerOrganization: 'Mesh Academy Root', subjectOrganization: 'Mesh Academy Root', notBeforeMs: nowMs - YEAR, notAfterMs: nowMs + 10 * YEAR, publicKey: root.publicKey, signingKey: root.privateKey, issuerPublicKey: root.publicKey, ca: true });
  const intermediatePem = issueCertificate({ serialHex: '0b0b', issuerOrganization: 'Mesh Academy Root', subjectOrganization: 'cluster1 intermediate', notBeforeMs: nowMs - YEAR, notAfterMs: nowMs + 2 * YEAR, publicKey: intermediate.publicKey, signingKey: root.privateKey, issuerPublicKey: root.publicKey, ca: true });
  const base64 = (text: string): string => Buffer.from(text).toString('base64');
  const key = String(intermediate.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return {
    rootPem,
    intermediatePem,
    secret: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'cacerts', namespace },
      type: 'Opaque',
      data: { 'ca-cert.pem': base64(intermediatePem), 'ca-key.pem': base64(key), 'root-cert.pem': base64(rootPem), 'cert-chain.pem': base64(intermediatePem + rootPem) },
    },
  };
}
