import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startKubectlHarness, tableRows, type KubectlHarness } from './kubectl-harness.ts';

const BOOKINFO = fileURLToPath(new URL('./fixtures/bookinfo.yaml', import.meta.url));
const SUFFIX = '[bcdfghjklmnpqrstvwxz2456789]';

describe('workloads driven by the simulated controllers', () => {
  let h: KubectlHarness;
  before(async () => {
    h = await startKubectlHarness({
      profile: 'instant',
      podLogs: { lines: (_pod, container) => [`${container} started`, `${container} serving on 9080`] },
      exec: async (request, streams) => {
        if (request.command[0] === 'cat') {
          return new Promise((resolve) => {
            streams.onStdin((data) => streams.stdout(data));
            streams.onStdinEnd(() => resolve(0));
          });
        }
        if (request.command[0] === 'false') {
          streams.stderr('failing on purpose\n');
          return 7;
        }
        streams.stdout(`${request.container}: ${request.command.join(' ')}\n`);
        return 0;
      },
    });
    assert.equal((await h.kubectl(['apply', '-f', BOOKINFO])).code, 0);
  });
  // h is unset when kubectl is missing: the before hook has already failed with the reason.
  after(async () => h?.close());

  it('waits for pods to be Ready and for rollouts to finish', async () => {
    const wait = await h.kubectl(['wait', '--for=condition=Ready', 'pod', '-l', 'app=ratings', '--timeout=10s']);
    assert.equal(wait.code, 0, wait.stderr);
    assert.match(wait.stdout, new RegExp(`^pod/ratings-v1-${SUFFIX}{10}-${SUFFIX}{5} condition met\\n$`));
    const rollout = await h.kubectl(['rollout', 'status', 'deployment/reviews-v2', '--timeout=10s']);
    assert.equal(rollout.stdout, 'deployment "reviews-v2" successfully rolled out\n');
    const available = await h.kubectl(['wait', '--for=condition=Available', 'deployment/productpage-v1', '--timeout=10s']);
    assert.equal(available.stdout, 'deployment.apps/productpage-v1 condition met\n');
  });

  it('lists pods, deployments and endpoints as a cluster would', async () => {
    const pods = tableRows((await h.kubectl(['get', 'pods'])).stdout);
    assert.deepEqual(pods[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.equal(pods.length, 7);
    for (const row of pods.slice(1)) {
      assert.match(row[0] ?? '', new RegExp(`^(details|ratings|reviews|productpage)-v\\d-${SUFFIX}{10}-${SUFFIX}{5}$`));
      assert.deepEqual(row.slice(1, 4), ['1/1', 'Running', '0']);
    }
    const wide = tableRows((await h.kubectl(['get', 'pods', '-o', 'wide', '-l', 'app=details'])).stdout);
    assert.deepEqual(wide[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    assert.match(wide[1]?.[5] ?? '', /^10\.244\.\d+\.\d+$/);
    assert.match(wide[1]?.[6] ?? '', /^sandbox-worker2?$/);
    const deploy = tableRows((await h.kubectl(['get', 'deploy', 'reviews-v3'])).stdout);
    assert.deepEqual(deploy[1]?.slice(0, 4), ['reviews-v3', '1/1', '1', '1']);
    const endpoints = tableRows((await h.kubectl(['get', 'endpoints', 'reviews'])).stdout);
    assert.match(endpoints[1]?.[1] ?? '', /^10\.244\.\d+\.\d+:9080,10\.244\.\d+\.\d+:9080,10\.244\.\d+\.\d+:9080$/);
    const nodes = tableRows((await h.kubectl(['get', 'nodes'])).stdout);
    assert.deepEqual(nodes.map((row) => [row[0], row[1], row[2], row[4]]), [
      ['NAME', 'STATUS', 'ROLES', 'VERSION'],
      ['sandbox-control-plane', 'Ready', 'control-plane', 'v1.32.0'],
      ['sandbox-worker', 'Ready', '<none>', 'v1.32.0'],
      ['sandbox-worker2', 'Ready', '<none>', 'v1.32.0'],
    ]);
  });

  it('filters pods by field selectors and pages lists with limit/continue', async () => {
    const running = tableRows((await h.kubectl(['get', 'pods', '--field-selector', 'status.phase=Running', '--no-headers'])).stdout);
    assert.equal(running.length, 6);
    const pending = await h.kubectl(['get', 'pods', '--field-selector', 'status.phase=Pending']);
    assert.equal(pending.stderr, 'No resources found in default namespace.\n');
    const onWorker = (await h.kubectl(['get', 'pods', '--field-selector', 'spec.nodeName=sandbox-worker', '-o', 'name'])).stdout.trim().split('\n');
    const onWorker2 = (await h.kubectl(['get', 'pods', '--field-selector', 'spec.nodeName=sandbox-worker2', '-o', 'name'])).stdout.trim().split('\n');
    assert.equal(onWorker.length + onWorker2.length, 6);
    const bad = await h.kubectl(['get', 'pods', '--field-selector', 'spec.image=x']);
    assert.equal(bad.stderr, 'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.image=x": field label not supported: spec.image\n');
    const paged = tableRows((await h.kubectl(['get', 'pods', '--chunk-size=2', '--no-headers'])).stdout);
    assert.equal(paged.length, 6);
    const events = await h.kubectl(['get', 'events.events.k8s.io', '--field-selector', 'metadata.namespace=default']);
    assert.match(events.stdout, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n/);
    assert.match(events.stdout, /\n\d+s\s+Normal\s+ScalingReplicaSet\s+deployment\/details-v1\s+Scaled up replica set details-v1-\S+ from 0 to 1\n/);
  });

  it('serves container logs through pods/log', async () => {
    const logs = await h.kubectl(['logs', 'deployment/details-v1']);
    assert.equal(logs.stdout, 'details started\ndetails serving on 9080\n');
    assert.equal((await h.kubectl(['logs', 'deployment/details-v1', '--tail=1'])).stdout, 'details serving on 9080\n');
    const pod = (await h.kubectl(['get', 'pods', '-l', 'app=details', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    const wrong = await h.kubectl(['logs', pod, '-c', 'nope']);
    assert.equal(wrong.stderr, `error: container nope is not valid for pod ${pod}\n`);
  });

  it('runs kubectl exec over the websocket channel protocol: output, exit codes, stdin, refusals', async () => {
    const pod = (await h.kubectl(['get', 'pods', '-l', 'app=ratings', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    const echo = await h.kubectl(['exec', pod, '--', 'echo', 'hello', 'mesh']);
    assert.deepEqual([echo.stdout, echo.code], ['ratings: echo hello mesh\n', 0]);
    const failing = await h.kubectl(['exec', pod, '-c', 'ratings', '--', 'false']);
    assert.deepEqual([failing.stderr, failing.code], ['failing on purpose\ncommand terminated with exit code 7\n', 7]);
    const piped = await h.kubectl(['exec', '-i', pod, '--', 'cat'], { input: 'hello stdin\n' });
    assert.equal(piped.stdout, 'hello stdin\n');
    const wrong = await h.kubectl(['exec', pod, '-c', 'nope', '--', 'ls']);
    assert.equal(wrong.stderr, `Error from server (BadRequest): container nope is not valid for pod ${pod}\n`);
    const forbidden = await h.kubectl(['exec', pod, '--as=someone', '--', 'ls']);
    assert.equal(forbidden.stderr, `Error from server (Forbidden): pods "${pod}" is forbidden: User "someone" cannot get resource "pods" in API group "" in the namespace "default"\n`);
  });

  it('describes pods with the events the scheduler and kubelet recorded', async () => {
    const described = await h.kubectl(['describe', 'pod', '-l', 'app=productpage']);
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, /\nStatus:\s+Running\n/);
    assert.match(described.stdout, /Normal\s+Scheduled\s+\d+s\s+default-scheduler\s+Successfully assigned default\/productpage-v1-\S+ to sandbox-worker2?\n/);
    assert.match(described.stdout, /Normal\s+Started\s+\d+s\s+kubelet\s+Started container productpage\n/);
  });

  it('rolls out a new image with a new ReplicaSet and history, scales, and deletes with the dependents', async () => {
    assert.equal((await h.kubectl(['set', 'image', 'deployment/ratings-v1', 'ratings=registry.istio.io/release/examples-bookinfo-ratings-v1:1.20.2'])).stdout, 'deployment.apps/ratings-v1 image updated\n');
    assert.equal((await h.kubectl(['rollout', 'status', 'deployment/ratings-v1', '--timeout=10s'])).stdout.trim().split('\n').at(-1), 'deployment "ratings-v1" successfully rolled out');
    const history = await h.kubectl(['rollout', 'history', 'deployment/ratings-v1']);
    assert.match(history.stdout, /^deployment\.apps\/ratings-v1 \nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
    assert.equal((await h.kubectl(['scale', 'deployment/ratings-v1', '--replicas=3'])).stdout, 'deployment.apps/ratings-v1 scaled\n');
    await h.kubectl(['rollout', 'status', 'deployment/ratings-v1', '--timeout=10s']);
    const pods = tableRows((await h.kubectl(['get', 'pods', '-l', 'app=ratings', '--no-headers'])).stdout);
    assert.equal(pods.length, 3);
    assert.equal((await h.kubectl(['delete', 'deployment', 'ratings-v1'])).stdout, 'deployment.apps "ratings-v1" deleted\n');
    const wait = await h.kubectl(['wait', '--for=delete', 'pod', '-l', 'app=ratings', '--timeout=10s']);
    assert.equal(wait.code, 0, wait.stderr);
    assert.equal((await h.kubectl(['get', 'rs', '-l', 'app=ratings'])).stderr, 'No resources found in default namespace.\n');
  });

  it('rolls back with rollout undo: the old ReplicaSet returns as the newest revision', async () => {
    await h.kubectl(['create', 'deployment', 'undo-me', '--image=nginx:1.25']);
    await h.kubectl(['rollout', 'status', 'deployment/undo-me', '--timeout=10s']);
    await h.kubectl(['set', 'image', 'deployment/undo-me', 'nginx=nginx:1.26']);
    await h.kubectl(['rollout', 'status', 'deployment/undo-me', '--timeout=10s']);
    const undo = await h.kubectl(['rollout', 'undo', 'deployment/undo-me']);
    assert.equal(undo.stdout, 'deployment.apps/undo-me rolled back\n', undo.stderr);
    await h.kubectl(['rollout', 'status', 'deployment/undo-me', '--timeout=10s']);
    const history = await h.kubectl(['rollout', 'history', 'deployment/undo-me']);
    assert.match(history.stdout, /^deployment\.apps\/undo-me \nREVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>\n/);
    const image = await h.kubectl(['get', 'deployment', 'undo-me', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}']);
    assert.equal(image.stdout, 'nginx:1.25 3');
    assert.equal(tableRows((await h.kubectl(['get', 'rs', '-l', 'app=undo-me', '--no-headers'])).stdout).length, 2);
    await h.kubectl(['delete', 'deployment', 'undo-me']);
  });

  it('runs a pod and exposes it as a service with endpoints', async () => {
    assert.equal((await h.kubectl(['run', 'solo', '--image=nginx', '--labels=app=solo'])).stdout, 'pod/solo created\n');
    assert.equal((await h.kubectl(['wait', '--for=condition=Ready', 'pod/solo', '--timeout=10s'])).code, 0);
    assert.equal((await h.kubectl(['expose', 'pod', 'solo', '--port=80'])).stdout, 'service/solo exposed\n');
    const [header, row] = tableRows((await h.kubectl(['get', 'svc', 'solo'])).stdout);
    assert.deepEqual(header, ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    assert.equal(row?.[1], 'ClusterIP');
    assert.match(row?.[2] ?? '', /^10\.96\.\d+\.\d+$/);
    assert.equal(row?.[4], '80/TCP');
    const podIp = (await h.kubectl(['get', 'pod', 'solo', '-o', 'jsonpath={.status.podIP}'])).stdout;
    const endpoints = await h.kubectl(['get', 'endpoints', 'solo', '-o', 'jsonpath={.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}']);
    assert.equal(endpoints.stdout, `${podIp}:80`);
    await h.kubectl(['delete', 'svc,pod', 'solo']);
  });

  it('drains a node through evictions (protobuf DeleteOptions) and reschedules elsewhere', async () => {
    const worker = (await h.kubectl(['get', 'pods', '-l', 'app=details', '-o', 'jsonpath={.items[0].spec.nodeName}'])).stdout;
    const drained = await h.kubectl(['drain', worker, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=20s']);
    assert.equal(drained.code, 0, drained.stderr);
    assert.match(drained.stdout, new RegExp(`^node/${worker} cordoned\n`));
    assert.match(drained.stdout, /\npod\/details-v1-\S+ evicted\n/);
    assert.match(drained.stdout, new RegExp(`node/${worker} drained\n$`));
    await h.kubectl(['rollout', 'status', 'deployment/details-v1', '--timeout=10s']);
    const nodes = (await h.kubectl(['get', 'pods', '-o', 'jsonpath={.items[*].spec.nodeName}'])).stdout.split(' ');
    assert.ok(!nodes.includes(worker), nodes.join(' '));
    assert.equal((await h.kubectl(['uncordon', worker])).stdout, `node/${worker} uncordoned\n`);
  });

  it('gives LoadBalancer services an external IP', async () => {
    assert.equal((await h.kubectl(['create', 'service', 'loadbalancer', 'ingress-gw', '--tcp=80:8080'])).stdout, 'service/ingress-gw created\n');
    const ip = await h.kubectl(['wait', '--for=jsonpath={.status.loadBalancer.ingress[0].ip}=172.18.255.200', 'service/ingress-gw', '--timeout=10s']);
    assert.equal(ip.stdout, 'service/ingress-gw condition met\n');
    const row = tableRows((await h.kubectl(['get', 'svc', 'ingress-gw', '--no-headers'])).stdout)[0];
    assert.deepEqual(row?.slice(1, 4), ['LoadBalancer', row?.[2], '172.18.255.200']);
    assert.match(row?.[4] ?? '', /^80:3\d{4}\/TCP$/);
  });

  it('terminates a namespace with everything in it', async () => {
    await h.kubectl(['create', 'namespace', 'scratch']);
    await h.kubectl(['create', 'deployment', 'web', '--image=nginx:1.27', '-n', 'scratch']);
    await h.kubectl(['rollout', 'status', 'deployment/web', '-n', 'scratch', '--timeout=10s']);
    const deleted = await h.kubectl(['delete', 'namespace', 'scratch', '--timeout=10s']);
    assert.equal(deleted.stdout, 'namespace "scratch" deleted\n');
    assert.equal((await h.kubectl(['get', 'namespace', 'scratch'])).stderr, 'Error from server (NotFound): namespaces "scratch" not found\n');
  });
});
