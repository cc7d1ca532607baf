// `istioctl dashboard <addon>`: on a workstation it port-forwards to an addon and opens a
// browser. The sandbox has neither; the mesh graph is part of the lesson page instead, so the
// command says where to look and fails like a dashboard whose addon is not installed.
import type { IstioctlContext } from './istioctl-context.ts';
import { IstioctlError } from './istioctl-error.ts';
import { parseFlags, type FlagSpec } from './istioctl-flags.ts';

const DASHBOARD_FLAGS: readonly FlagSpec[] = [
  { name: 'address', type: 'string' },
  { name: 'port', short: 'p', type: 'int' },
  { name: 'browser', type: 'bool' },
  { name: 'selector', short: 'l', type: 'string' },
];

/** `display` is how istioctl names the addon in its error, e.g. `Kiali`. */
export function dashboardRunner(display: string): (context: IstioctlContext, args: readonly string[]) => Promise<number> {
  return async (context, args) => {
    parseFlags(args, DASHBOARD_FLAGS);
    context.err('Dashboards need a browser on your machine; this sandbox has none. The mesh graph beside the lesson shows the live traffic between your workloads.\n');
    throw new IstioctlError('DASHBOARD_UNAVAILABLE', `no ${display} pods found`);
  };
}
