// The Gateway API CRDs as one YAML stream for `kubectl apply -f -`. The docs install them
// with `kubectl kustomize "github.com/kubernetes-sigs/gateway-api/config/crd?ref=…"`, which
// the sandbox cannot fetch (no internet, no kustomize); the sandbox ships the same bundle
// (v1.6.0, the one Istio 1.30 tests with), and the learner applies it with kubectl.
import { stringify } from 'yaml';
import { gatewayApiCrds } from '../../server/sandbox/istio/control-plane/crds/gateway-api-crds.ts';

export function gatewayApiCrdsManifest(): string {
  return gatewayApiCrds().map((crd) => stringify(crd, { aliasDuplicateObjects: false })).join('---\n');
}
