// Runs the sandbox's kubectl with a kubeconfig and collects what it printed: how tests act as
// a given user (an operator, a learner's ServiceAccount) against any cluster endpoint.
import { runKubectl } from './run-kubectl.ts';

export interface KubectlOutput {
  out: string;
  err: string;
  code: number;
}

export async function kubectlOutput(kubeconfig: string, args: string[]): Promise<KubectlOutput> {
  let out = '';
  let err = '';
  const code = await runKubectl(args, {
    stdin: '',
    env: {},
    cwd: '/',
    kubeconfig,
    readFile: async () => undefined,
    stdout: (chunk) => {
      out += chunk;
    },
    stderr: (chunk) => {
      err += chunk;
    },
  });
  return { out, err, code };
}
