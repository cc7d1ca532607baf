// Two learners on one host: each sees their own files and their own cluster, and the token
// in one learner's kubeconfig opens nothing in the other's cluster, even when both sandboxes
// were started from the same seed (as two learners starting the same lesson might be).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ClusterHost, createEmbeddedSandbox, type EmbeddedSandbox } from "../../server/sandbox/index.ts";

const host = new ClusterHost();
let alice: EmbeddedSandbox;
let bob: EmbeddedSandbox;
/** Started from alice's seed. */
let twin: EmbeddedSandbox;

before(async () => {
  await host.listen({ host: "127.0.0.1", port: 0 });
  alice = await createEmbeddedSandbox({ host, id: "alice", profile: "instant", seed: "lesson-seed" });
  bob = await createEmbeddedSandbox({ host, id: "bob", profile: "instant", seed: "another-seed" });
  twin = await createEmbeddedSandbox({ host, id: "twin", profile: "instant", seed: "lesson-seed" });
});

after(async () => {
  await Promise.all([alice.dispose(), bob.dispose(), twin.dispose()]);
  await host.close();
});

async function sh(sandbox: EmbeddedSandbox, script: string) {
  return sandbox.shell.host.exec(script).result;
}

function tokenOf(kubeconfig: string): string {
  const token = /^\s*token: (\S+)$/m.exec(kubeconfig)?.[1];
  assert.ok(token !== undefined, "the kubeconfig carries a bearer token");
  return token;
}

test("files one learner writes are not in the other's workstation", async () => {
  const write = await sh(alice, "echo alice-secret > /tmp/secret && echo alice-secret > ~/secret && cat ~/secret");
  assert.equal(write.stdout, "alice-secret\n");
  const read = await sh(bob, "cat /tmp/secret ~/secret");
  assert.equal(read.exitCode, 1);
  assert.equal(read.stdout, "");
  assert.match(read.stderr, /cat: \/tmp\/secret: No such file or directory/);
  const listing = await sh(bob, "ls -a ~ /tmp");
  assert.doesNotMatch(listing.stdout, /^secret$/m);
});

test("objects one learner creates are not in the other's cluster", async () => {
  const create = await sh(alice, "kubectl create configmap alice-only --from-literal=who=alice");
  assert.equal(create.exitCode, 0, create.stderr);
  const list = await sh(bob, "kubectl get configmaps -A -o name");
  assert.equal(list.exitCode, 0, list.stderr);
  assert.doesNotMatch(list.stdout, /alice-only/);
  const get = await sh(bob, "kubectl get configmap alice-only");
  assert.equal(get.exitCode, 1);
  assert.equal(get.stderr, 'Error from server (NotFound): configmaps "alice-only" not found\n');
});

test("a learner's token is refused by the other learner's API server", async () => {
  const aliceToken = tokenOf(alice.learnerKubeconfig);
  for (const other of [bob, twin]) {
    const response = await fetch(`${other.server}/api/v1/namespaces`, { headers: { authorization: `Bearer ${aliceToken}` } });
    assert.equal(response.status, 401, `alice's token opened ${other.id}'s cluster`);
    await response.body?.cancel();
  }
  // Her own server takes it.
  const own = await fetch(`${alice.server}/api/v1/namespaces`, { headers: { authorization: `Bearer ${aliceToken}` } });
  assert.equal(own.status, 200);
  await own.body?.cancel();
});

test("sandboxes started from the same seed still hand out different credentials", async () => {
  assert.notEqual(tokenOf(alice.learnerKubeconfig), tokenOf(twin.learnerKubeconfig));
  assert.notEqual(tokenOf(alice.adminKubeconfig), tokenOf(twin.adminKubeconfig));
});

test("from inside the shell, pointing kubectl at the other cluster's URL is Unauthorized", async () => {
  for (const other of [bob, twin]) await sh(other, `kubectl create configmap ${other.id}-only --from-literal=who=${other.id}`);
  for (const other of [bob, twin]) {
    const viaConfig = await sh(alice, `sed "s#server: .*#server: ${other.server}#" ~/.kube/config > /tmp/other && KUBECONFIG=/tmp/other kubectl get configmaps -A`);
    assert.equal(viaConfig.exitCode, 1, other.id);
    assert.equal(viaConfig.stdout, "");
    assert.match(viaConfig.stderr, /Unauthorized/);
    const viaFlag = await sh(alice, `kubectl --server=${other.server} get configmaps -A`);
    assert.doesNotMatch(viaFlag.stdout, new RegExp(`${other.id}-only`), other.id);
  }
  // Climbing out of the cluster's path on the shared host reaches no other cluster either.
  for (const server of [`${alice.server}/../bob`, `${alice.server}/..%2fbob`, `${alice.server}%2f..%2f..%2fclusters%2fbob`]) {
    const climb = await sh(alice, `sed "s#server: .*#server: ${server}#" ~/.kube/config > /tmp/climb && KUBECONFIG=/tmp/climb kubectl get configmaps -A`);
    assert.notEqual(climb.exitCode, 0, server);
    assert.doesNotMatch(climb.stdout, /bob-only/, server);
  }
});

test("kubectl exec into the workstation reaches the learner's own shell", async () => {
  await sh(bob, "echo bob-was-here > ~/mark");
  const result = await sh(alice, "kubectl exec -n mesh-academy workstation -- cat /home/learner/mark /home/learner/secret");
  assert.doesNotMatch(result.stdout, /bob-was-here/);
  assert.match(result.stdout, /^alice-secret$/m);
});
