// `istioctl install`: resolves the profile, files and --set values, asks for confirmation
// unless -y, creates the Istio namespace, then applies each component's objects by
// server-side apply and waits for its Deployments before printing its ✔ line. Progress goes to
// stderr as istioctl's progress bar writes there; the question goes to stdout.
import { asObject, asString, type JsonObject } from '../core/json-object.ts';
import type { InstallConfig } from '../istio/control-plane/install/install-config.ts';
import { installManifest, revisionLabel, type InstallComponent } from '../istio/control-plane/install/install-manifest.ts';
import { istioctlInstallText } from '../istio/control-plane/install/istioctl-install-text.ts';
import { confirm } from './confirm.ts';
import type { IstioctlContext } from './istioctl-context.ts';
import { IstioctlError, usageError } from './istioctl-error.ts';
import { flagBool, flagString, parseFlags, type FlagSpec } from './istioctl-flags.ts';
import { INSTALL_INPUT_FLAGS, resolveInstallRequest } from './install-request.ts';
import { parseGoDuration, waitForDeployments } from './readiness.ts';
import { listInstalledObjects, objectIdentity, ownedByRevision } from './installed-objects.ts';
import type { IstioApi } from './istio-api.ts';

const INSTALL_FLAGS: readonly FlagSpec[] = [
  ...INSTALL_INPUT_FLAGS,
  { name: 'skip-confirmation', short: 'y', type: 'bool' },
  { name: 'readiness-timeout', type: 'string' },
  { name: 'verify', type: 'bool' },
  { name: 'dry-run', type: 'bool' },
  { name: 'force', type: 'bool' },
  { name: 'set-wait', type: 'bool' },
  { name: 'verbose', short: 'v', type: 'bool' },
];

/** Components in install order with the words istioctl prints for them (operator/pkg/component). */
const COMPONENTS: ReadonlyArray<{ component: InstallComponent; key: keyof InstallConfig['components']; name: string }> = [
  { component: 'Base', key: 'base', name: 'Istio core' },
  { component: 'Pilot', key: 'pilot', name: 'Istiod' },
  { component: 'Cni', key: 'cni', name: 'CNI' },
  { component: 'Ztunnel', key: 'ztunnel', name: 'Ztunnel' },
  { component: 'EgressGateways', key: 'egressGateways', name: 'Egress gateways' },
  { component: 'IngressGateways', key: 'ingressGateways', name: 'Ingress gateways' },
];

/** ANSI erase-line, so a shorter line does not leave the end of the longer one behind. */
const CLEAR_LINE = '\u001b[2K';

function enabled(config: InstallConfig, key: keyof InstallConfig['components']): boolean {
  const value = config.components[key];
  return Array.isArray(value) ? value.some((gateway) => gateway.enabled) : value;
}

async function ensureNamespace(api: IstioApi, name: string): Promise<void> {
  if ((await api.get('v1', 'Namespace', undefined, name)) !== undefined) return;
  await api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** Applies the install objects component by component; the ✔ / ✘ lines go to stderr. */
async function applyInstall(context: IstioctlContext, config: InstallConfig, timeoutMs: number): Promise<void> {
  const api = await context.api();
  const objects = installManifest(config);
  const namespaces = new Set([config.namespace]);
  for (const { object } of objects) {
    const namespace = asString(asObject(object.metadata).namespace);
    if (namespace !== undefined) namespaces.add(namespace);
  }
  for (const namespace of namespaces) await ensureNamespace(api, namespace);
  const lines = istioctlInstallText.installed(config);
  let line = 0;
  let failed = false;
  for (const { component, key, name } of COMPONENTS) {
    if (!enabled(config, key)) continue;
    const mine: JsonObject[] = objects.filter((entry) => entry.component === component).map((entry) => entry.object);
    try {
      for (const object of mine) await api.apply(object);
      let shown = '';
      const onWaiting = (pending: readonly string[]): void => {
        // On a terminal istioctl's progress bar redraws one status line in place, replaced by
        // the ✔ line. Off a terminal it would add each status as a line of its own; those
        // depend on timing, so captured output keeps only the lines the documentation shows.
        const status = `- Processing resources for ${name}. Waiting for ${pending.join(', ')}`;
        if (status === shown || context.io.terminal !== true) return;
        shown = status;
        context.err(`\r${CLEAR_LINE}${status}`);
      };
      const waitOptions: Parameters<typeof waitForDeployments>[3] = { onWaiting };
      if (context.io.signal !== undefined) waitOptions.signal = context.io.signal;
      await waitForDeployments(api, mine, timeoutMs, waitOptions);
      if (shown !== '' && context.io.terminal === true) context.err(`\r${CLEAR_LINE}`);
      context.err(`${lines[line] ?? `✔ ${name} installed`}\n`);
    } catch (error) {
      if (!(error instanceof Error) || context.io.signal?.aborted === true) throw error;
      context.err(`✘ ${name} encountered an error: ${error.message}\n`);
      failed = true;
    }
    line++;
  }
  if (failed) throw new IstioctlError('INSTALL_FAILED', 'failed to install manifests: errors occurred during operation');
  // Objects of this revision the new manifest no longer has (a gateway turned off, another
  // profile) are pruned, as istioctl does before it reports completion.
  const wanted = new Set(objects.map(({ object }) => objectIdentity(object)));
  const stale = await listInstalledObjects(api, (object) => ownedByRevision(object, revisionLabel(config.revision)) && !wanted.has(objectIdentity(object)));
  for (const object of stale) await api.remove(object);
  for (const rest of lines.slice(line)) context.err(`${rest}\n`);
}

export async function runInstall(context: IstioctlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, INSTALL_FLAGS);
  if (flags.positionals.length > 0) throw usageError(`unknown command "${flags.positionals[0] ?? ''}" for "istioctl install"`);
  const config = await resolveInstallRequest(context, flags);
  const timeoutText = flagString(flags, 'readiness-timeout') ?? '5m0s';
  const timeoutMs = parseGoDuration(timeoutText);
  if (timeoutMs === undefined) throw usageError(`invalid argument "${timeoutText}" for "--readiness-timeout" flag: time: invalid duration "${timeoutText}"`);
  if (flagBool(flags, 'dry-run')) {
    // istioctl walks the components without asking or changing anything.
    for (const line of istioctlInstallText.installed(config)) context.err(`${line}\n`);
    return 0;
  }
  if (!flagBool(flags, 'skip-confirmation') && !confirm(context, istioctlInstallText.confirmation(config))) {
    context.err(`${istioctlInstallText.cancelled}\n`);
    return 1;
  }
  await applyInstall(context, config, timeoutMs);
  return 0;
}
