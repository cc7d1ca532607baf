// Pods with init containers through the real kubectl and through the sandbox's own kubectl
// against the same cluster: `get pods` (the API server's table) and `describe pod` (printed by
// each kubectl from the object) agree, for an init container that succeeded and one that fails.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bash } from 'just-bash';
import { ManualClock } from '../../server/sandbox/core/manual-clock.ts';
import { renderKubeconfig } from '../../server/sandbox/cluster/kubeconfig.ts';
import { createKubectlCommand } from '../../server/sandbox/kubectl/kubectl-command.ts';
import { startKubectlHarness, tableRows, type KubectlHarness } from './kubectl-harness.ts';

const pod = (name: string, initCommand: string): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  initContainers:
  - {name: istio-init, image: "busybox:1.36", command: [sh, -c, "${initCommand}"]}
  containers:
  - {name: app, image: "nginx:1.27"}
`;

/** Events print their age, which moves between two runs: compare the text above them. */
const withoutEvents = (text: string): string => text.split('\nEvents:')[0] ?? text;

describe('init containers through both kubectls', () => {
  let h: KubectlHarness;
  let bash: Bash;
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  before(async () => {
    h = await startKubectlHarness({ clock, profile: 'realistic' });
    bash = new Bash({
      customCommands: [createKubectlCommand()],
      files: { '/home/learner/.kube/config': renderKubeconfig({ server: h.server.url, token: 'test-admin-token' }) },
      env: { HOME: '/home/learner' },
      cwd: '/home/learner',
    });
  });
  // h is unset when kubectl is missing: the before hook has already failed with the reason.
  after(async () => h?.close());

  it('print the same table and description while initializing, once done, and in a crash loop', async () => {
    assert.equal((await h.kubectl(['apply', '-f', '-'], { input: pod('ok', 'echo ready') })).code, 0);
    assert.equal((await h.kubectl(['apply', '-f', '-'], { input: pod('broken', 'exit 3') })).code, 0);
    const compare = async (): Promise<string[][]> => {
      const real = await h.kubectl(['get', 'pods']);
      const ours = await bash.exec('kubectl get pods');
      assert.equal(ours.stdout, real.stdout);
      for (const name of ['ok', 'broken']) {
        const realDescribe = await h.kubectl(['describe', 'pod', name]);
        const ourDescribe = await bash.exec(`kubectl describe pod ${name}`);
        assert.equal(withoutEvents(ourDescribe.stdout), withoutEvents(realDescribe.stdout));
      }
      return tableRows(real.stdout).slice(1).map((row) => row.slice(0, 3));
    };
    clock.advance(500);
    assert.deepEqual(await compare(), [['broken', '0/1', 'Init:0/1'], ['ok', '0/1', 'Init:0/1']]);
    clock.advance(30_000);
    const settled = await compare();
    assert.deepEqual(settled[1], ['ok', '1/1', 'Running']);
    assert.deepEqual(settled[0]?.slice(0, 2), ['broken', '0/1']);
    assert.match(settled[0]?.[2] ?? '', /^Init:(CrashLoopBackOff|Error)$/);
    const described = await h.kubectl(['describe', 'pod', 'broken']);
    assert.match(described.stdout, /\nInit Containers:\n  istio-init:\n[\s\S]*?\n    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    3\n/);
  });
});
