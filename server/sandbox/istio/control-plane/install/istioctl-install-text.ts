// What istioctl prints around install, uninstall and version (operator/cmd/mesh/install.go,
// operator/pkg/util/progress/progress.go, operator/pkg/component/component.go, pkg/version).
import { asObject, type JsonObject } from '../../../core/json-object.ts';
import type { InstallConfig } from './install-config.ts';
import type { InstalledObject } from './install-manifest.ts';
import { ISTIO_RELEASE } from './istio-release.ts';

const COMPONENT_LINES: ReadonlyArray<[keyof InstallConfig['components'], string, string]> = [
  ['base', 'Istio core', '⛵️'],
  ['pilot', 'Istiod', '🧠'],
  ['cni', 'CNI', '🪢'],
  ['ztunnel', 'Ztunnel', '🔒'],
  ['egressGateways', 'Egress gateways', '🛫'],
  ['ingressGateways', 'Ingress gateways', '🛬'],
];

function componentEnabled(config: InstallConfig, key: keyof InstallConfig['components']): boolean {
  const value = config.components[key];
  return Array.isArray(value) ? value.some((gateway) => gateway.enabled) : value;
}

export const istioctlInstallText = {
  /** The `(y/N)` question asked without `-y`. */
  confirmation(config: InstallConfig): string {
    return `This will install the Istio ${ISTIO_RELEASE.version} profile "${config.profile}" into the cluster. Proceed? (y/N)`;
  },
  /** Printed (exit code 1) when the answer is not y. */
  cancelled: 'Cancelled.',
  /** The progress lines of a successful install, core first and `Installation complete` last. */
  installed(config: InstallConfig): string[] {
    const lines = COMPONENT_LINES.filter(([key]) => componentEnabled(config, key)).map(([, name, icon]) => `✔ ${name} installed ${icon}`);
    lines.push('✔ Installation complete');
    if (config.profile === 'ambient') lines.push('The ambient profile has been installed successfully, enjoy Istio without sidecars!');
    return lines;
  },
  /** `istioctl uninstall --purge`: the prompt asked without `-y`. */
  purgeConfirmation: 'All Istio resources will be pruned from the cluster\nProceed? (y/N)',
  /** `istioctl uninstall --purge -y` output for the objects it removed. */
  purged(removed: readonly InstalledObject[]): string[] {
    const lines = ['All Istio resources will be pruned from the cluster'];
    for (const { object } of removed) {
      const meta = object.metadata as { name?: string; namespace?: string } | undefined;
      const where = meta?.namespace === undefined ? '' : `${meta.namespace}:`;
      lines.push(`  Removed ${String(object.kind)}:${where}${meta?.name ?? ''}.`);
    }
    lines.push('✔ Uninstall complete');
    return lines;
  },
  /**
   * `istioctl version`: client, control plane and data plane lines. `proxyVersions` holds one
   * entry per connected proxy (sidecars and gateways).
   */
  version(controlPlaneVersions: readonly string[], proxyVersions: readonly string[]): { stdout: string[]; stderr: string[] } {
    const stdout = [`client version: ${ISTIO_RELEASE.version}`];
    if (controlPlaneVersions.length === 0) {
      return { stdout, stderr: ['Istio is not present in the cluster: no running Istio pods in "istio-system"'] };
    }
    stdout.push(`control plane version: ${[...new Set(controlPlaneVersions)].sort().join(', ')}`);
    const counts = new Map<string, number>();
    for (const version of proxyVersions) counts.set(version, (counts.get(version) ?? 0) + 1);
    const parts = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([version, count]) => `${version} (${count} proxies)`);
    stdout.push(`data plane version: ${parts.length === 0 ? 'none' : parts.join(', ')}`);
    return { stdout, stderr: [] };
  },
};

/**
 * Whether `istioctl uninstall --purge` deletes an object: everything an install created, of any
 * revision, Istio CRDs included. The namespace stays (`kubectl delete namespace istio-system`).
 */
export function removedByPurge(object: JsonObject): boolean {
  if (object.kind === 'CustomResourceDefinition') {
    const group = String(asObject(object.spec).group ?? '');
    return group.endsWith('.istio.io');
  }
  return asObject(asObject(object.metadata).labels)['install.operator.istio.io/owning-resource'] !== undefined;
}
