// Istio's control plane in `mesh-academy sandbox`, driven by the real kubectl: the objects
// `istioctl install` creates are applied, then sidecar injection, config validation and the
// Gateway API controller answer as on a real cluster (compatibility suite: skips, saying why,
// without ../shared/istio-samples).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { runSandbox } from '../../server/cli/sandbox-command.ts';
import { gatewayApiCrds } from '../../server/sandbox/istio/control-plane/crds/gateway-api-crds.ts';
import { resolveInstallConfig } from '../../server/sandbox/istio/control-plane/install/install-config.ts';
import { installManifest } from '../../server/sandbox/istio/control-plane/install/install-manifest.ts';
import { requireKubectl, tableRows, type KubectlResult } from '../cluster/kubectl-harness.ts';
import { istioSamplePath, istioSamplesMissing } from '../support/istio-samples.ts';

interface Sandbox {
  dir: string;
  /** What the sandbox printed to stderr (controller failures). */
  errors: string[];
  kubectl(args: string[], options?: { input?: string; timeoutMs?: number }): Promise<KubectlResult>;
  close(): Promise<void>;
}

/** `mesh-academy sandbox --profile instant` in this process, and the real kubectl pointed at it. */
async function startSandbox(): Promise<Sandbox> {
  requireKubectl();
  const dir = mkdtempSync(join(tmpdir(), 'mesh-academy-istio-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const controller = new AbortController();
  const errors: string[] = [];
  // The sandbox announces itself once the kubeconfig is completely written.
  let announced = false;
  const running = runSandbox(['--kubeconfig', kubeconfig, '--port', '0', '--profile', 'instant', '--seed', 'istio-tests'], {
    out: () => {
      announced = true;
    },
    err: (text) => errors.push(text),
    signal: controller.signal,
  });
  const deadline = Date.now() + 10_000;
  while (!announced) {
    if (Date.now() > deadline) throw new Error(`the sandbox did not start: ${errors.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: kubeconfig, LANG: 'C.UTF-8' };
  return {
    dir,
    errors,
    kubectl(args, options = {}) {
      return new Promise((resolve) => {
        const child = execFile('kubectl', args, { env, timeout: options.timeoutMs ?? 15_000, encoding: 'utf8', maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
          resolve({ stdout, stderr, code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1 });
        });
        child.stdin?.end(options.input);
      });
    },
    async close() {
      controller.abort();
      assert.equal(await running, 0);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` holds, failing with `what` after a few seconds (kubectl-free waits). */
async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function writeYaml(h: Sandbox, name: string, objects: readonly object[]): string {
  const file = join(h.dir, name);
  writeFileSync(file, objects.map((object) => stringify(object)).join('---\n'));
  return file;
}

/** Applies what `istioctl install --set …` creates and waits until istiod answers its webhooks. */
async function installIstio(h: Sandbox, set: string[]): Promise<void> {
  const config = resolveInstallConfig({ set });
  const objects = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: config.namespace } }, ...installManifest(config).map((entry) => entry.object)];
  const applied = await h.kubectl(['apply', '--server-side', '-f', writeYaml(h, `install-${config.revision || 'default'}.yaml`, objects)], { timeoutMs: 30_000 });
  assert.equal(applied.code, 0, applied.stderr);
  await waitForIstiod(h, config.revision === '' ? 'istiod' : `istiod-${config.revision}`, true);
}

/** Waits until the API server can (or can no longer) reach istiod's webhooks through its Service. */
async function waitForIstiod(h: Sandbox, service: string, reachable: boolean): Promise<void> {
  await eventually(`${service} ${reachable ? 'ready' : 'gone'}`, async () => {
    const slices = await h.kubectl(['-n', 'istio-system', 'get', 'endpointslices', '-l', `kubernetes.io/service-name=${service}`, '-o', 'jsonpath={.items[*].endpoints[*].conditions.ready}']);
    return slices.stdout.split(' ').includes('true') === reachable;
  });
}

async function containerNames(h: Sandbox, namespace: string, pod: string): Promise<string> {
  const result = await h.kubectl(['-n', namespace, 'get', 'pod', pod, '-o', 'jsonpath={.spec.initContainers[*].name} | {.spec.containers[*].name}']);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

async function podNames(h: Sandbox, namespace: string, selector: string): Promise<string[]> {
  const result = await h.kubectl(['-n', namespace, 'get', 'pods', '-l', selector, '-o', 'jsonpath={.items[*].metadata.name}']);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.split(' ').filter((name) => name !== '');
}

describe('Istio control plane with the real kubectl', { skip: istioSamplesMissing }, () => {
  let h: Sandbox;
  before(async () => {
    h = await startSandbox();
    const crds = await h.kubectl(['apply', '--server-side', '-f', writeYaml(h, 'gateway-api.yaml', gatewayApiCrds())]);
    assert.equal(crds.code, 0, crds.stderr);
    await installIstio(h, ['profile=minimal']);
  });
  after(async () => {
    const errors = h?.errors ?? [];
    await h?.close();
    assert.deepEqual(errors, []);
  });

  it('creates the istio GatewayClasses once istiod runs', async () => {
    await eventually('GatewayClasses', async () => (await h.kubectl(['get', 'gc', '-o', 'name'])).stdout.includes('istio-remote'));
    const classes = await h.kubectl(['get', 'gatewayclass']);
    assert.equal(classes.code, 0, classes.stderr);
    const rows = tableRows(classes.stdout);
    assert.deepEqual(rows[0], ['NAME', 'CONTROLLER', 'ACCEPTED', 'AGE']);
    assert.deepEqual(rows.slice(1).map((row) => row.slice(0, 3)), [
      ['istio', 'istio.io/gateway-controller', 'True'],
      ['istio-remote', 'istio.io/unmanaged-gateway', 'True'],
    ]);
  });

  it('injects all six Bookinfo pods once the namespace is labelled: 2/2 Running', async () => {
    const labelled = await h.kubectl(['label', 'namespace', 'default', 'istio-injection=enabled']);
    assert.equal(labelled.code, 0, labelled.stderr);
    assert.equal(labelled.stdout, 'namespace/default labeled\n');
    const applied = await h.kubectl(['apply', '-f', istioSamplePath('samples/bookinfo/platform/kube/bookinfo.yaml')]);
    assert.equal(applied.code, 0, applied.stderr);
    const waited = await h.kubectl(['wait', '--for=condition=Ready', 'pods', '--all', '--timeout=30s'], { timeoutMs: 35_000 });
    assert.equal(waited.code, 0, waited.stderr);
    const pods = tableRows((await h.kubectl(['get', 'pods'])).stdout).slice(1);
    assert.equal(pods.length, 6, pods.map((row) => row.join(' ')).join('\n'));
    for (const row of pods) {
      assert.equal(row[1], '2/2', row.join(' '));
      assert.equal(row[2], 'Running', row.join(' '));
    }
    const [reviews] = await podNames(h, 'default', 'app=reviews,version=v2');
    assert.ok(reviews !== undefined);
    assert.equal(await containerNames(h, 'default', reviews), 'istio-init | reviews istio-proxy');
    const labels = await h.kubectl(['get', 'pod', reviews, '-o', "jsonpath={.metadata.labels['service\\.istio\\.io/canonical-name']}/{.metadata.labels['service\\.istio\\.io/canonical-revision']} {.metadata.annotations['istio\\.io/rev']}"]);
    assert.equal(labels.stdout, 'reviews/v2 default');
    // The Deployment is untouched: injection happens to pods at creation.
    const template = await h.kubectl(['get', 'deploy', 'reviews-v2', '-o', 'jsonpath={.spec.template.spec.containers[*].name}']);
    assert.equal(template.stdout, 'reviews');
    // The owner istiod records for the proxy is the Deployment, not the ReplicaSet.
    const owner = await h.kubectl(['get', 'pod', reviews, '-o', 'jsonpath={.spec.containers[1].env[?(@.name=="ISTIO_META_OWNER")].value}']);
    assert.equal(owner.stdout, 'kubernetes://apis/apps/v1/namespaces/default/deployments/reviews-v2');
    // istio-init ran to completion before the containers started.
    const init = await h.kubectl(['get', 'pod', reviews, '-o', 'jsonpath={.status.initContainerStatuses[0].name} {.status.initContainerStatuses[0].state.terminated.reason} {.status.initContainerStatuses[0].state.terminated.exitCode} {.status.initContainerStatuses[0].ready} {.status.conditions[?(@.type=="Initialized")].status}']);
    assert.equal(init.stdout, 'istio-init Completed 0 true True');
    const described = await h.kubectl(['describe', 'pod', reviews]);
    assert.match(described.stdout, /\nInit Containers:\n  istio-init:\n[\s\S]*?\n    State:          Terminated\n      Reason:       Completed\n      Exit Code:    0\n/);
  });

  it('publishes istio-ca-root-cert in every namespace but kube-public and kube-node-lease, new ones included', async () => {
    const holders = async (): Promise<string> => (await h.kubectl(['get', 'configmaps', '-A', '--field-selector', 'metadata.name=istio-ca-root-cert', '-o', 'jsonpath={.items[*].metadata.namespace}'])).stdout;
    await eventually('istio-ca-root-cert in the existing namespaces', async () => (await holders()) === 'default istio-system kube-system');
    assert.equal((await h.kubectl(['create', 'namespace', 'shop'])).code, 0);
    await eventually('istio-ca-root-cert in a new namespace', async () => (await holders()) === 'default istio-system kube-system shop');
    const cm = await h.kubectl(['get', 'configmap', 'istio-ca-root-cert', '-n', 'shop', '-o', "jsonpath={.metadata.labels} {.data['root-cert\\.pem']}"]);
    assert.match(cm.stdout, /^\{"istio.io\/config":"true"\} -----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    const table = tableRows((await h.kubectl(['get', 'configmaps', '-n', 'shop'])).stdout);
    assert.deepEqual(table.map((row) => row.slice(0, 2)), [['NAME', 'DATA'], ['istio-ca-root-cert', '1'], ['kube-root-ca.crt', '1']]);
    assert.equal((await h.kubectl(['delete', 'namespace', 'shop', '--wait=false'])).code, 0);
  });

  it('leaves a pod created before the label at 1/1 until kubectl rollout restart', async () => {
    assert.equal((await h.kubectl(['create', 'namespace', 'legacy'])).code, 0);
    const applied = await h.kubectl(['-n', 'legacy', 'apply', '-f', istioSamplePath('samples/sleep/sleep.yaml')]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal((await h.kubectl(['-n', 'legacy', 'rollout', 'status', 'deploy/sleep', '--timeout=20s'], { timeoutMs: 25_000 })).code, 0);
    const [old] = await podNames(h, 'legacy', 'app=sleep');
    assert.ok(old !== undefined);
    assert.equal((await h.kubectl(['label', 'namespace', 'legacy', 'istio-injection=enabled'])).code, 0);
    const still = tableRows((await h.kubectl(['-n', 'legacy', 'get', 'pods'])).stdout).slice(1);
    assert.deepEqual(still.map((row) => [row[0], row[1]]), [[old, '1/1']]);

    const restarted = await h.kubectl(['-n', 'legacy', 'rollout', 'restart', 'deploy/sleep']);
    assert.equal(restarted.code, 0, restarted.stderr);
    assert.equal(restarted.stdout, 'deployment.apps/sleep restarted\n');
    assert.equal((await h.kubectl(['-n', 'legacy', 'rollout', 'status', 'deploy/sleep', '--timeout=20s'], { timeoutMs: 25_000 })).code, 0);
    assert.equal((await h.kubectl(['-n', 'legacy', 'wait', '--for=delete', `pod/${old}`, '--timeout=20s'], { timeoutMs: 25_000 })).code, 0);
    const now = tableRows((await h.kubectl(['-n', 'legacy', 'get', 'pods'])).stdout).slice(1);
    assert.equal(now.length, 1);
    assert.notEqual(now[0]?.[0], old);
    assert.equal(now[0]?.[1], '2/2');
  });

  it('honours the pod label opt-out and the namespace opt-out', async () => {
    const run = await h.kubectl(['run', 'no-mesh', '--image=curlimages/curl', '--labels=sidecar.istio.io/inject=false', '--command', '--', 'sleep', '3600']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(await containerNames(h, 'default', 'no-mesh'), ' | no-mesh');
    // istio-injection=disabled wins over a pod asking for injection.
    assert.equal((await h.kubectl(['create', 'namespace', 'off'])).code, 0);
    assert.equal((await h.kubectl(['label', 'namespace', 'off', 'istio-injection=disabled'])).code, 0);
    assert.equal((await h.kubectl(['-n', 'off', 'run', 'asks', '--image=curlimages/curl', '--labels=sidecar.istio.io/inject=true', '--command', '--', 'sleep', '3600'])).code, 0);
    assert.equal(await containerNames(h, 'off', 'asks'), ' | asks');
    // In an unlabelled namespace the pod label alone selects the pod.
    assert.equal((await h.kubectl(['create', 'namespace', 'plain'])).code, 0);
    assert.equal((await h.kubectl(['-n', 'plain', 'run', 'asks', '--image=curlimages/curl', '--labels=sidecar.istio.io/inject=true', '--command', '--', 'sleep', '3600'])).code, 0);
    assert.equal(await containerNames(h, 'plain', 'asks'), 'istio-init | asks istio-proxy');
    assert.equal((await h.kubectl(['-n', 'plain', 'run', 'quiet', '--image=curlimages/curl', '--command', '--', 'sleep', '3600'])).code, 0);
    assert.equal(await containerNames(h, 'plain', 'quiet'), ' | quiet');
  });

  it('injects by revision label only for an installed revision, from that revision', async () => {
    await installIstio(h, ['profile=minimal', 'revision=canary']);
    assert.equal((await h.kubectl(['create', 'namespace', 'canary'])).code, 0);
    assert.equal((await h.kubectl(['label', 'namespace', 'canary', 'istio.io/rev=canary'])).code, 0);
    assert.equal((await h.kubectl(['-n', 'canary', 'run', 'web', '--image=nginx'])).code, 0);
    assert.equal(await containerNames(h, 'canary', 'web'), 'istio-init | web istio-proxy');
    const injected = await h.kubectl(['-n', 'canary', 'get', 'pod', 'web', '-o', 'jsonpath={.metadata.annotations.istio\\.io/rev} {.spec.containers[1].env[?(@.name=="CA_ADDR")].value}']);
    assert.equal(injected.stdout, 'canary istiod-canary.istio-system.svc:15012');
    // A revision nobody installed selects no webhook: the pod is created as it is.
    assert.equal((await h.kubectl(['create', 'namespace', 'stable'])).code, 0);
    assert.equal((await h.kubectl(['label', 'namespace', 'stable', 'istio.io/rev=stable'])).code, 0);
    assert.equal((await h.kubectl(['-n', 'stable', 'run', 'web', '--image=nginx'])).code, 0);
    assert.equal(await containerNames(h, 'stable', 'web'), ' | web');
  });

  it('refuses invalid Istio config with istiod\'s reasons and stores nothing', async () => {
    // Schema-valid, so only istiod's validation can refuse it.
    const bad = writeYaml(h, 'bad-vs.yaml', [
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'default' }, spec: { hosts: ['*'], http: [{ route: [{ destination: { host: 'reviews' } }] }] } },
    ]);
    const refused = await h.kubectl(['apply', '-f', bad]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, '');
    assert.equal(
      refused.stderr,
      `Error from server: error when creating "${bad}": admission webhook "validation.istio.io" denied the request: configuration is invalid: wildcard host * is not allowed for virtual services bound to the mesh gateway\n`,
    );
    const listed = await h.kubectl(['get', 'virtualservices']);
    assert.equal(listed.stderr, 'No resources found in default namespace.\n');

    const twice = writeYaml(h, 'bad-vs2.yaml', [
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'ratings', namespace: 'default' }, spec: { hosts: ['*'], http: [{ route: [{ destination: { host: 'Ratings_v1' } }] }] } },
    ]);
    const several = await h.kubectl(['apply', '-f', twice]);
    assert.equal(several.code, 1);
    assert.match(several.stderr, /denied the request: configuration is invalid: 2 errors occurred:\n\t\* /);
    assert.match(several.stderr, /\t\* domain name "Ratings_v1" invalid \(label "Ratings_v1" invalid\)/);

    const good = await h.kubectl(['apply', '-f', istioSamplePath('samples/bookinfo/networking/destination-rule-all.yaml')]);
    assert.equal(good.code, 0, good.stderr);
  });

  it('deploys a Gateway of class istio until kubectl wait --for=condition=programmed succeeds', async () => {
    const applied = await h.kubectl(['apply', '-f', istioSamplePath('samples/bookinfo/gateway-api/bookinfo-gateway.yaml')]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(applied.stdout, 'gateway.gateway.networking.k8s.io/bookinfo-gateway created\nhttproute.gateway.networking.k8s.io/bookinfo created\n');
    const waited = await h.kubectl(['wait', '--for=condition=programmed', 'gtw', 'bookinfo-gateway', '--timeout=20s'], { timeoutMs: 25_000 });
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(waited.stdout, 'gateway.gateway.networking.k8s.io/bookinfo-gateway condition met\n');

    const service = await h.kubectl(['get', 'svc', 'bookinfo-gateway-istio', '-o', 'jsonpath={.spec.type} {.spec.ports[*].name} {.spec.ports[*].port}']);
    assert.equal(service.stdout, 'LoadBalancer status-port http 15021 80');
    const address = await h.kubectl(['get', 'svc', 'bookinfo-gateway-istio', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}']);
    const gateway = tableRows((await h.kubectl(['get', 'gtw'])).stdout);
    assert.deepEqual(gateway[0], ['NAME', 'CLASS', 'ADDRESS', 'PROGRAMMED', 'AGE']);
    assert.deepEqual(gateway[1]?.slice(0, 4), ['bookinfo-gateway', 'istio', address.stdout, 'True']);
    assert.equal((await h.kubectl(['rollout', 'status', 'deploy/bookinfo-gateway-istio', '--timeout=20s'], { timeoutMs: 25_000 })).code, 0);
    const [gatewayPod] = await podNames(h, 'default', 'gateway.networking.k8s.io/gateway-name=bookinfo-gateway');
    assert.ok(gatewayPod !== undefined);
    assert.equal(await containerNames(h, 'default', gatewayPod), ' | istio-proxy');
    const account = await h.kubectl(['get', 'serviceaccount', 'bookinfo-gateway-istio', '-o', 'jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}']);
    assert.equal(account.stdout, 'Gateway/bookinfo-gateway');

    const route = await h.kubectl(['get', 'httproute', 'bookinfo', '-o', 'jsonpath={.status.parents[0].controllerName} {.status.parents[0].conditions[?(@.type=="Accepted")].message} / {.status.parents[0].conditions[?(@.type=="ResolvedRefs")].message}']);
    assert.equal(route.stdout, 'istio.io/gateway-controller Route was valid / All references resolved');
    const listener = await h.kubectl(['get', 'gtw', 'bookinfo-gateway', '-o', 'jsonpath={.status.listeners[0].attachedRoutes}']);
    assert.equal(listener.stdout, '1');

    // The Getting Started step: a ClusterIP Service, addressed by its hostname.
    const annotated = await h.kubectl(['annotate', 'gateway', 'bookinfo-gateway', 'networking.istio.io/service-type=ClusterIP', '--namespace=default']);
    assert.equal(annotated.code, 0, annotated.stderr);
    await eventually('ClusterIP gateway Service', async () => (await h.kubectl(['get', 'svc', 'bookinfo-gateway-istio', '-o', 'jsonpath={.spec.type}'])).stdout === 'ClusterIP');
    await eventually('hostname address', async () => (await h.kubectl(['get', 'gtw', 'bookinfo-gateway', '-o', 'jsonpath={.status.addresses[0].value}'])).stdout === 'bookinfo-gateway-istio.default.svc.cluster.local');
    const programmed = await h.kubectl(['get', 'gtw', 'bookinfo-gateway', '-o', 'jsonpath={.status.conditions[?(@.type=="Programmed")].message}']);
    assert.equal(programmed.stdout, 'Resource programmed, assigned to service(s) bookinfo-gateway-istio.default.svc.cluster.local:80');
  });

  it('reports a route backend that does not exist', async () => {
    const route = writeYaml(h, 'route.yaml', [
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'missing', namespace: 'default' }, spec: { parentRefs: [{ name: 'bookinfo-gateway' }], rules: [{ backendRefs: [{ name: 'nowhere', port: 9080 }] }] } },
    ]);
    assert.equal((await h.kubectl(['apply', '-f', route])).code, 0);
    await eventually('route status', async () => (await h.kubectl(['get', 'httproute', 'missing', '-o', 'jsonpath={.status.parents[0].controllerName}'])).stdout !== '');
    const status = await h.kubectl(['get', 'httproute', 'missing', '-o', 'jsonpath={.status.parents[0].conditions[?(@.type=="ResolvedRefs")].reason}: {.status.parents[0].conditions[?(@.type=="ResolvedRefs")].message}']);
    assert.equal(status.stdout, 'BackendNotFound: backend(nowhere.default.svc.cluster.local) not found');
  });

  it('refuses pods the injector must handle while istiod is down, as failurePolicy Fail does', async () => {
    assert.equal((await h.kubectl(['-n', 'istio-system', 'scale', 'deploy/istiod', '--replicas=0'])).code, 0);
    await waitForIstiod(h, 'istiod', false);
    const refused = await h.kubectl(['run', 'late', '--image=nginx']);
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      'Error from server (InternalError): Internal error occurred: failed calling webhook "namespace.sidecar-injector.istio.io": failed to call webhook: Post "https://istiod.istio-system.svc:443/inject?timeout=10s": no endpoints available for service "istiod"\n',
    );
    // Pods no injector selects are still created.
    assert.equal((await h.kubectl(['-n', 'plain', 'run', 'late', '--image=nginx'])).code, 0);
    // istiod switched its validators to Fail while it ran, so Istio config now fails closed too.
    const config = await h.kubectl(['apply', '-f', istioSamplePath('samples/bookinfo/networking/virtual-service-all-v1.yaml')]);
    assert.equal(config.code, 1);
    assert.match(config.stderr, /Internal error occurred: failed calling webhook "validation\.istio\.io": failed to call webhook: Post "https:\/\/istiod\.istio-system\.svc:443\/validate\?timeout=10s": no endpoints available for service "istiod"/);

    assert.equal((await h.kubectl(['-n', 'istio-system', 'scale', 'deploy/istiod', '--replicas=1'])).code, 0);
    await waitForIstiod(h, 'istiod', true);
    assert.equal((await h.kubectl(['run', 'late', '--image=nginx'])).code, 0);
    assert.equal(await containerNames(h, 'default', 'late'), 'istio-init | late istio-proxy');
  });
});
