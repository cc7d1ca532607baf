// The sandbox has no internet, but a few downloads are part of every Istio walkthrough: the
// Kubernetes Gateway API CRDs, fetched with `kubectl kustomize "github.com/…/config/crd?ref=…"`
// or `kubectl apply -f https://github.com/…/standard-install.yaml`. Those addresses answer from
// the bundle the sandbox ships (the version Istio 1.30 is tested with), so the docs' commands
// work as written; any other address is out of reach, as on an air-gapped cluster.
import { stringify } from 'yaml';
import { gatewayApiCrds, GATEWAY_API_BUNDLE_VERSION } from '../istio/control-plane/crds/gateway-api-crds.ts';

const GATEWAY_API_KUSTOMIZE = /^(?:https:\/\/)?github\.com\/kubernetes-sigs\/gateway-api\/config\/crd(?:\?ref=v[\d.]+)?$/;
const GATEWAY_API_RELEASE = /^https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/releases\/download\/v[\d.]+\/standard-install\.yaml$/;

function gatewayApiBundle(): string {
  return gatewayApiCrds().map((crd) => stringify(crd, { aliasDuplicateObjects: false })).join('---\n');
}

/** What a well-known address serves, or undefined when the sandbox cannot reach it. */
export function offlineSource(address: string): string | undefined {
  if (GATEWAY_API_KUSTOMIZE.test(address) || GATEWAY_API_RELEASE.test(address)) return gatewayApiBundle();
  return undefined;
}

export const OFFLINE_BUNDLE_NOTE = `Gateway API ${GATEWAY_API_BUNDLE_VERSION} standard channel`;
