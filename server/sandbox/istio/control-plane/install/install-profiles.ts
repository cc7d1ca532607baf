// The built-in `istioctl install` profiles (manifests/profiles/*.yaml), embedded as data because
// the shared samples folder is not shipped. The unit test compares each one with the real file.
import type { JsonObject } from '../../../core/json-object.ts';

const IOP = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator' } as const;

export const INSTALL_PROFILES: Readonly<Record<string, JsonObject>> = {
  ambient: {
    ...IOP,
    spec: {
      components: { cni: { enabled: true }, ztunnel: { enabled: true }, ingressGateways: [{ name: 'istio-ingressgateway', enabled: false }] },
      values: { profile: 'ambient' },
    },
  },
  default: {
    ...IOP,
    metadata: { namespace: 'istio-system' },
    spec: {
      hub: 'registry.istio.io/testing',
      tag: 'latest',
      components: {
        base: { enabled: true },
        pilot: { enabled: true },
        ingressGateways: [{ name: 'istio-ingressgateway', enabled: true }],
        egressGateways: [{ name: 'istio-egressgateway', enabled: false }],
      },
      values: {
        defaultRevision: '',
        global: { istioNamespace: 'istio-system', configValidation: true },
        gateways: { 'istio-ingressgateway': {}, 'istio-egressgateway': {} },
        ztunnel: { resourceName: 'ztunnel' },
      },
    },
  },
  demo: {
    ...IOP,
    spec: { components: { egressGateways: [{ name: 'istio-egressgateway', enabled: true }] }, values: { profile: 'demo' } },
  },
  empty: {
    ...IOP,
    spec: { components: { base: { enabled: false }, pilot: { enabled: false }, ingressGateways: [{ name: 'istio-ingressgateway', enabled: false }] } },
  },
  minimal: {
    ...IOP,
    spec: { components: { ingressGateways: [{ name: 'istio-ingressgateway', enabled: false }] } },
  },
  'openshift-ambient': {
    ...IOP,
    spec: {
      components: {
        cni: { enabled: true, namespace: 'kube-system' },
        ztunnel: { enabled: true, namespace: 'kube-system' },
        ingressGateways: [{ name: 'istio-ingressgateway', enabled: false }],
      },
      values: { profile: 'ambient', global: { platform: 'openshift' } },
    },
  },
  openshift: {
    ...IOP,
    spec: { components: { cni: { enabled: true, namespace: 'kube-system' } }, values: { global: { platform: 'openshift' } } },
  },
  preview: { ...IOP, spec: { values: { profile: 'preview' } } },
  remote: {
    ...IOP,
    spec: {
      components: { base: { enabled: true }, pilot: { enabled: true }, ingressGateways: [{ name: 'istio-ingressgateway', enabled: false }] },
      values: { profile: 'remote' },
    },
  },
  stable: { ...IOP, spec: { values: { profile: 'stable' } } },
};

/**
 * Settings the Helm charts add for `values.profile` (manifests/charts/base/files/profile-*.yaml):
 * only what changes objects the sandbox creates or behaviour a learner can observe.
 */
export const CHART_PROFILE_VALUES: Readonly<Record<string, JsonObject>> = {
  demo: {
    meshConfig: { accessLogFile: '/dev/stdout' },
    values: {
      pilot: { autoscaleEnabled: false, traceSampling: 100, resources: { requests: { cpu: '10m', memory: '100Mi' } } },
      global: { proxy: { resources: { requests: { cpu: '10m', memory: '40Mi' } } } },
      gateways: {
        'istio-egressgateway': { autoscaleEnabled: false, resources: { requests: { cpu: '10m', memory: '40Mi' } } },
        'istio-ingressgateway': { autoscaleEnabled: false, resources: { requests: { cpu: '10m', memory: '40Mi' } } },
      },
    },
  },
};
