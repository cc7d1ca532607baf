// A learner at the terminal of a fresh embedded sandbox: command lines are typed into one
// shell session, so `export GATEWAY_URL=…` in one step is still set in the next, as in a
// real terminal. The upstream Istio samples are in `~/samples`, and the shell starts in `~`,
// so the docs' `samples/…` paths work as written (the docs run them from the Istio folder).
import assert from 'node:assert/strict';
import { ClusterHost } from '../../server/sandbox/cluster/cluster-host.ts';
import type { ShellExecResult } from '../../server/sandbox/shell/shell-host.ts';
import { createEmbeddedSandbox, type EmbeddedSandbox } from '../../server/sandbox/workstation/create-embedded-sandbox.ts';
import { istioSamplePath } from '../support/istio-samples.ts';

export interface LearnerTerminal {
  readonly sandbox: EmbeddedSandbox;
  /** Runs what the learner types at the prompt and answers with what the terminal shows. */
  type(script: string, stdin?: string): Promise<ShellExecResult>;
  /** Like `type`, for a step that must succeed: fails the test otherwise and gives stdout. */
  ok(script: string, stdin?: string): Promise<string>;
  close(): Promise<void>;
}

const SESSION = 'learner';

export async function openLearnerTerminal(id: string): Promise<LearnerTerminal> {
  const host = new ClusterHost();
  await host.listen();
  let sandbox: EmbeddedSandbox;
  try {
    sandbox = await createEmbeddedSandbox({ host, id, profile: 'instant', seed: id, samplesDir: istioSamplePath('samples') });
  } catch (error) {
    await host.close();
    throw error;
  }
  const type = (script: string, stdin?: string): Promise<ShellExecResult> =>
    sandbox.shell.host.exec(script, { session: SESSION, ...(stdin === undefined ? {} : { stdin }) }).result;
  return {
    sandbox,
    type,
    async ok(script, stdin) {
      const result = await type(script, stdin);
      assert.equal(result.exitCode, 0, `${script}\nexited ${result.exitCode}\n${result.stderr}`);
      return result.stdout;
    },
    async close() {
      await sandbox.dispose();
      await host.close();
    },
  };
}
