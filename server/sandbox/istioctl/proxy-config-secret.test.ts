import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { clearMeshCaCache } from '../istio/control-plane/istiod/mesh-ca.ts';
import { pluggedInCa } from '../istio/control-plane/istiod/plugged-in-ca.test-support.ts';
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

function trustedRoot(stdout: string): X509Certificate | undefined {
  const dump = JSON.parse(stdout) as SecretDump;
  return certificates(dump.dynamicActiveSecrets.find((s) => s.name === 'ROOTCA')?.secret.validationContext?.trustedCa.inlineBytes ?? '')[0];
}

// istioctl in another thread (as a learner's shell worker runs it) against the same cluster.
const ISTIOCTL_IN_A_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { runIstioctl } = await import(workerData.module);
  let stdout = '';
  const io = { stdin: '', env: {}, cwd: '/home/learner', kubeconfig: workerData.kubeconfig, readFile: async () => undefined, stdout: (chunk) => { stdout += chunk; }, stderr: () => {} };
  const exitCode = await runIstioctl(['proxy-config', 'secret', 'deploy/productpage-v1', '-o', 'json'], io);
  parentPort.postMessage({ exitCode, stdout });
})();
`;

test('ROOTCA is the istio-ca-secret root, the one istio-ca-root-cert publishes, in this thread, after a cold read and in another thread', async () => {
  const secret = await t.kubectl('get secret istio-ca-secret -n istio-system -o jsonpath={.type}');
  assert.equal(secret.stdout, 'istio.io/ca-root');
  const caCert = Buffer.from((await t.kubectl("get secret istio-ca-secret -n istio-system -o jsonpath={.data['ca-cert\\.pem']}")).stdout, 'base64').toString();
  const published = (await t.kubectl("get configmap istio-ca-root-cert -n default -o jsonpath={.data['root-cert\\.pem']}")).stdout;
  const configMapRoot = new X509Certificate(published);
  assert.equal(configMapRoot.fingerprint256, new X509Certificate(caCert).fingerprint256);
  const here = trustedRoot((await t.istioctl('proxy-config secret deploy/productpage-v1 -o json')).stdout);
  assert.equal(here?.fingerprint256, configMapRoot.fingerprint256);
  clearMeshCaCache();
  const cold = await t.istioctl('proxy-config secret deploy/productpage-v1 -o json');
  assert.equal(trustedRoot(cold.stdout)?.fingerprint256, configMapRoot.fingerprint256);
  const [leaf] = certificates((JSON.parse(cold.stdout) as SecretDump).dynamicActiveSecrets[0]?.secret.tlsCertificate?.certificateChain.inlineBytes ?? '');
  assert.ok(leaf?.verify(configMapRoot.publicKey), 'the workload chain holds against the published root');

  const kubeconfig = (await t.kubectl('config view --raw')).stdout;
  const worker = new Worker(ISTIOCTL_IN_A_WORKER, { eval: true, workerData: { module: new URL('./run-istioctl.ts', import.meta.url).href, kubeconfig } });
  try {
    const result = await new Promise<{ exitCode: number; stdout: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    assert.equal(result.exitCode, 0);
    assert.equal(trustedRoot(result.stdout)?.fingerprint256, configMapRoot.fingerprint256);
    const [otherLeaf] = certificates((JSON.parse(result.stdout) as SecretDump).dynamicActiveSecrets[0]?.secret.tlsCertificate?.certificateChain.inlineBytes ?? '');
    assert.ok(otherLeaf?.verify(configMapRoot.publicKey));
  } finally {
    await worker.terminate();
  }
});

test('with a plugged-in cacerts, the workload chain runs through its intermediate to its root, and ROOTCA is root-cert.pem', async () => {
  const other = await startTestCluster('proxy-config-secret-cacerts');
  try {
    const plugged = pluggedInCa('istio-system', Date.now());
    assert.equal((await other.kubectl('create namespace istio-system')).exitCode, 0);
    const created = await other.kubectl('apply -f -', { stdin: JSON.stringify(plugged.secret) });
    assert.equal(created.exitCode, 0, created.stderr);
    assert.equal((await other.istioctl('install --set profile=minimal -y')).exitCode, 0);
    await other.kubectl('label namespace default istio-injection=enabled');
    assert.equal((await other.kubectl('apply -f -', { stdin: APP })).exitCode, 0);
    await other.kubectl('rollout status deployment/productpage-v1 --timeout=30s');
    assert.equal((await other.kubectl('get secret istio-ca-secret -n istio-system')).exitCode, 1, 'istiod generated no CA of its own');
    const result = await other.istioctl('proxy-config secret deploy/productpage-v1 -o json');
    assert.equal(result.exitCode, 0, result.stderr);
    const dump = JSON.parse(result.stdout) as SecretDump;
    const [leaf, intermediate, root] = certificates(dump.dynamicActiveSecrets[0]?.secret.tlsCertificate?.certificateChain.inlineBytes ?? '');
    assert.ok(leaf && intermediate && root);
    assert.equal(leaf.issuer, 'O=cluster1 intermediate');
    assert.ok(leaf.verify(intermediate.publicKey));
    assert.equal(Buffer.from(dump.dynamicActiveSecrets[1]?.secret.validationContext?.trustedCa.inlineBytes ?? '', 'base64').toString(), plugged.rootPem);
    const published = (await other.kubectl("get configmap istio-ca-root-cert -n default -o jsonpath={.data['root-cert\\.pem']}")).stdout;
    assert.equal(published, plugged.rootPem);
    const table = (await other.istioctl('proxy-config secret deploy/productpage-v1')).stdout.split('\n');
    assert.match(table[2] ?? '', /^ROOTCA +CA +ACTIVE +true +a11ce /);
  } finally {
    await other.close();
  }
});
