// `istioctl uninstall`: `--purge` removes every object any install created (all revisions,
// Istio CRDs included); `-r`/`--set revision=`/`-f` only that revision's objects. The Istio
// namespace itself stays, as with the real one (`kubectl delete namespace istio-system`).
import { revisionLabel } from '../istio/control-plane/install/install-manifest.ts';
import { istioctlInstallText, removedByPurge } from '../istio/control-plane/install/istioctl-install-text.ts';
import type { InstalledObject } from '../istio/control-plane/install/install-manifest.ts';
import { confirm } from './confirm.ts';
import type { IstioctlContext } from './istioctl-context.ts';
import { IstioctlError } from './istioctl-error.ts';
import { flagBool, flagList, flagString, parseFlags, type FlagSpec } from './istioctl-flags.ts';
import { INSTALL_INPUT_FLAGS, resolveInstallRequest } from './install-request.ts';
import { listInstalledObjects, ownedByRevision } from './installed-objects.ts';

const UNINSTALL_FLAGS: readonly FlagSpec[] = [
  ...INSTALL_INPUT_FLAGS,
  { name: 'purge', type: 'bool' },
  { name: 'skip-confirmation', short: 'y', type: 'bool' },
  { name: 'dry-run', type: 'bool' },
  { name: 'verbose', short: 'v', type: 'bool' },
];

export async function runUninstall(context: IstioctlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, UNINSTALL_FLAGS);
  const purge = flagBool(flags, 'purge');
  const hasRevision = flagString(flags, 'revision') !== undefined || flagList(flags, 'set').some((s) => s.startsWith('revision=')) || flagList(flags, 'filename').length > 0;
  if (!purge && !hasRevision) {
    throw new IstioctlError('UNINSTALL_TARGET_MISSING', 'at least one of the --revision (or --set revision=<revision>), --filename or --purge flags must be set');
  }
  const revision = purge ? undefined : (await resolveInstallRequest(context, flags)).revision;
  const api = await context.api();
  const objects = await listInstalledObjects(api, (object) => (purge ? removedByPurge(object) : ownedByRevision(object, revisionLabel(revision ?? ''))));
  // The printed lines only need the objects; the component is not part of them.
  const removed: InstalledObject[] = objects.map((object) => ({ component: 'Base', object }));
  const [heading = '', ...rest] = istioctlInstallText.purged(removed);
  if (purge) context.out(`${heading}\n`);
  if (!flagBool(flags, 'skip-confirmation') && !confirm(context, 'Proceed? (y/N)')) {
    context.err(`${istioctlInstallText.cancelled}\n`);
    return 1;
  }
  if (flagBool(flags, 'dry-run')) return 0;
  for (const { object } of removed) await api.remove(object);
  const complete = rest.pop() ?? '';
  for (const line of rest) context.out(`${line}\n`);
  context.err(`${complete}\n`);
  return 0;
}
