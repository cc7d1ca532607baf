// `istioctl x precheck`: checks a cluster before install or upgrade. The emulated cluster
// always meets what it checks (a supported Kubernetes version, permission to create the
// control plane, no conflicting webhooks), so it gives the all-clear, after checking that the
// cluster answers at all.
import type { IstioctlContext } from './istioctl-context.ts';
import { parseFlags, type FlagSpec } from './istioctl-flags.ts';

const PRECHECK_FLAGS: readonly FlagSpec[] = [
  { name: 'revision', short: 'r', type: 'string' },
  { name: 'skip-controlplane', type: 'bool' },
  { name: 'output', short: 'o', type: 'string' },
];

export async function runPrecheck(context: IstioctlContext, args: readonly string[]): Promise<number> {
  parseFlags(args, PRECHECK_FLAGS);
  await (await context.api()).client.json({ path: '/version' });
  context.out('✔ No issues found when checking the cluster. Istio is safe to install or upgrade!\n  To get started, check out https://istio.io/latest/docs/setup/getting-started/.\n');
  return 0;
}
