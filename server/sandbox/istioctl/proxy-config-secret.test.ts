import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startTestCluster, type TestCluster } from './istioctl-test-cluster.test-support.ts';

// `istioctl proxy-config secret <pod> -o json` against an emulated cluster with Istio and an
// injected workload: the SDS dump holds real certificates that agree with the table.
let t: TestCluster;

const APP = `apiVersion: v1
kind: ServiceAccount
metadata: {name: bookinfo-productpage}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: productpage-v1}
spec:
  selector: {matchLabels: {app: productpage}}
  template:
    metadata: {labels: {app: productpage, version: v1}}
    spec:
      serviceAccountName: bookinfo-productpage
      containers: [{name: productpage, image: docker.io/istio/examples-bookinfo-productpage-v1:1.20.3}]
`;

before(async () => {
  t = await startTestCluster('proxy-config-secret');
  assert.equal((await t.istioctl('install --set profile=minimal -y')).exitCode, 0);
  await t.kubectl('label namespace default istio-injection=enabled');
  const applied = await t.kubectl('apply -f -', { stdin: APP });
  assert.equal(applied.exitCode, 0, applied.stderr);
  await t.kubectl('rollout status deployment/productpage-v1 --timeout=30s');
});

after(async () => {
  await t.close();
});

function certificates(inlineBytes: string): X509Certificate[] {
  const pem = Buffer.from(inlineBytes, 'base64').toString();
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? []).map((one) => new X509Certificate(one));
}

interface SecretDump {
  dynamicActiveSecrets: {
    name: string;
    secret: { '@type': string; name: string; tlsCertificate?: { certificateChain: { inlineBytes: string }; privateKey: { inlineBytes: string } }; validationContext?: { trustedCa: { inlineBytes: string } } };
  }[];
}

test('-o json: default holds the workload certificate with its SPIFFE ID, signed by ROOTCA, matching the table', async () => {
  const result = await t.istioctl('proxy-config secret deploy/productpage-v1 -o json');
  assert.equal(result.exitCode, 0, result.stderr);
  const dump = JSON.parse(result.stdout) as SecretDump;
  assert.deepEqual(dump.dynamicActiveSecrets.map((s) => s.name), ['default', 'ROOTCA']);
  const [workload, root] = dump.dynamicActiveSecrets;
  assert.equal(workload?.secret['@type'], 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret');
  assert.equal(Buffer.from(workload?.secret.tlsCertificate?.privateKey.inlineBytes ?? '', 'base64').toString(), '[redacted]');
  const [leaf, chainRoot] = certificates(workload?.secret.tlsCertificate?.certificateChain.inlineBytes ?? '');
  const [trusted] = certificates(root?.secret.validationContext?.trustedCa.inlineBytes ?? '');
  assert.ok(leaf && chainRoot && trusted);
  assert.equal(leaf.subjectAltName, 'URI:spiffe://cluster.local/ns/default/sa/bookinfo-productpage');
  assert.ok(leaf.verify(trusted.publicKey), 'ROOTCA signed the workload certificate');
  assert.equal(chainRoot.fingerprint256, trusted.fingerprint256);
  // The table shows the same serial numbers and dates.
  const table = (await t.istioctl('proxy-config secret deploy/productpage-v1')).stdout.split('\n');
  const row = /^default +Cert Chain +ACTIVE +true +([0-9a-f]+) +(\S+) +(\S+)$/.exec(table[1] ?? '');
  assert.ok(row, table[1]);
  assert.equal(leaf.serialNumber.toLowerCase().replace(/^0+/, ''), row[1]);
  assert.equal(new Date(leaf.validTo).getTime(), Date.parse(row[2] ?? ''));
  assert.equal(new Date(leaf.validFrom).getTime(), Date.parse(row[3] ?? ''));
  const rootRow = /^ROOTCA +CA +ACTIVE +true +([0-9a-f]+) /.exec(table[2] ?? '');
  assert.equal(trusted.serialNumber.toLowerCase().replace(/^0+/, ''), rootRow?.[1]);
  // Asking again shows the same certificate.
  const again = JSON.parse((await t.istioctl('pc secret deploy/productpage-v1 -o json')).stdout) as SecretDump;
  assert.equal(again.dynamicActiveSecrets[0]?.secret.tlsCertificate?.certificateChain.inlineBytes, workload?.secret.tlsCertificate?.certificateChain.inlineBytes);
});
