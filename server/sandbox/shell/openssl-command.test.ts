import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { issueCertificate } from '../istio/control-plane/istiod/issue-certificate.ts';
import { runOpensslX509 } from './openssl-command.ts';

const root = generateKeyPairSync('rsa', { modulusLength: 2048 });
const workload = generateKeyPairSync('rsa', { modulusLength: 2048 });
const start = Date.UTC(2026, 10, 4, 7, 43, 23);
const rootPem = issueCertificate({ serialHex: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', issuerOrganization: 'cluster.local', subjectOrganization: 'cluster.local', notBeforeMs: start, notAfterMs: start + 3650 * 86_400_000, publicKey: root.publicKey, signingKey: root.privateKey, issuerPublicKey: root.publicKey, ca: true });
const leafPem = issueCertificate({ serialHex: '78e013df5f8e15ea913d56478fae1e20', issuerOrganization: 'cluster.local', notBeforeMs: start - 120_000, notAfterMs: start + 86_400_000, publicKey: workload.publicKey, signingKey: root.privateKey, issuerPublicKey: root.publicKey, ca: false, uris: ['spiffe://cluster.local/ns/default/sa/bookinfo-productpage'] });

const run = (args: string, stdin = leafPem + rootPem, files: Record<string, string> = {}) => runOpensslX509(args.split(' ').filter((a) => a !== ''), { stdin, readFile: async (path) => files[path] });

test('-noout -text: the workload certificate as OpenSSL 3 prints it, with the SPIFFE ID in a critical SAN', async () => {
  const { stdout, exitCode } = await run('-noout -text');
  assert.equal(exitCode, 0);
  const lines = stdout.split('\n');
  assert.deepEqual(lines.slice(0, 11), [
    'Certificate:',
    '    Data:',
    '        Version: 3 (0x2)',
    '        Serial Number:',
    '            78:e0:13:df:5f:8e:15:ea:91:3d:56:47:8f:ae:1e:20',
    '        Signature Algorithm: sha256WithRSAEncryption',
    '        Issuer: O = cluster.local',
    '        Validity',
    '            Not Before: Nov  4 07:41:23 2026 GMT',
    '            Not After : Nov  5 07:43:23 2026 GMT',
    '        Subject: ',
  ]);
  assert.ok(stdout.includes('            Public Key Algorithm: rsaEncryption\n                Public-Key: (2048 bit)\n                Modulus:\n                    00:'));
  assert.ok(stdout.includes('                Exponent: 65537 (0x10001)\n'));
  assert.ok(stdout.includes('            X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment\n'));
  assert.ok(stdout.includes('            X509v3 Extended Key Usage: \n                TLS Web Server Authentication, TLS Web Client Authentication\n'));
  assert.ok(stdout.includes('            X509v3 Basic Constraints: critical\n                CA:FALSE\n'));
  assert.ok(stdout.includes('            X509v3 Subject Alternative Name: critical\n                URI:spiffe://cluster.local/ns/default/sa/bookinfo-productpage\n'));
  assert.ok(stdout.includes('    Signature Algorithm: sha256WithRSAEncryption\n    Signature Value:\n        '));
});

test('short prints in the order asked, -ext by name, and the PEM unless -noout', async () => {
  const { stdout } = await run('-noout -subject -issuer -serial -dates -ext subjectAltName');
  assert.equal(
    stdout,
    'subject=\nissuer=O = cluster.local\nserial=78E013DF5F8E15EA913D56478FAE1E20\nnotBefore=Nov  4 07:41:23 2026 GMT\nnotAfter=Nov  5 07:43:23 2026 GMT\nX509v3 Subject Alternative Name: critical\n    URI:spiffe://cluster.local/ns/default/sa/bookinfo-productpage\n',
  );
  const rootOnly = await run('-in root.pem -subject -ext subjectAltName', '', { 'root.pem': rootPem });
  assert.equal(rootOnly.stderr, 'No extensions in certificate\n');
  assert.equal(rootOnly.stdout, `subject=O = cluster.local\n${rootPem}`);
});

test('no certificate, no file, an unknown option: OpenSSL\'s complaints and exit 1', async () => {
  assert.deepEqual(await run('-noout -text', 'hello\n'), { stdout: '', stderr: 'Could not read certificate from <stdin>\nUnable to load certificate\n', exitCode: 1 });
  assert.equal((await run('-in missing.pem -noout')).stderr, 'Could not open file or uri for loading certificate from missing.pem\nUnable to load certificate\n');
  assert.equal((await run('-bogus')).exitCode, 1);
});

function hostOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('prints what a real openssl prints for the same certificates', { skip: hostOpenssl() ? false : 'no openssl on this machine' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'openssl-'));
  for (const [name, pem] of [['leaf.pem', leafPem], ['root.pem', rootPem]] as const) {
    writeFileSync(join(dir, name), pem);
    for (const args of ['-noout -text', '-noout -subject -issuer -serial -dates', '-noout -ext subjectAltName,keyUsage,basicConstraints', '-fingerprint -sha256 -noout', '-noout -fingerprint']) {
      const real = execFileSync('openssl', ['x509', '-in', join(dir, name), ...args.split(' ')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      assert.equal((await run(args, pem)).stdout, real, `openssl x509 ${args} on ${name}`);
    }
  }
});
