import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { istioSamplesMissing, readIstioSample } from '../../../../../tests/support/istio-samples.ts';
import { InstallConfigError, resolveInstallConfig } from './install-config.ts';
import type { JsonObject } from '../../../core/json-object.ts';

const noGateways = (): JsonObject => parse(readIstioSample('samples/bookinfo/demo-profile-no-gateways.yaml')) as JsonObject;

const enabledGateways = (list: { name: string; enabled: boolean }[]) => list.filter((g) => g.enabled).map((g) => g.name);

describe('resolveInstallConfig', () => {
  it('defaults to the default profile: base, istiod and the ingress gateway', () => {
    const config = resolveInstallConfig();
    assert.equal(config.profile, 'default');
    assert.equal(config.revision, '');
    assert.equal(config.namespace, 'istio-system');
    assert.equal(config.components.base, true);
    assert.equal(config.components.pilot, true);
    assert.deepEqual(enabledGateways(config.components.ingressGateways), ['istio-ingressgateway']);
    assert.deepEqual(enabledGateways(config.components.egressGateways), []);
    assert.equal(config.hub, 'docker.io/istio');
    assert.equal(config.tag, '1.30.3');
    assert.equal(config.meshConfig.accessLogFile, undefined);
  });

  it('demo adds the egress gateway and turns access logs on', () => {
    const config = resolveInstallConfig({ set: ['profile=demo'] });
    assert.equal(config.profile, 'demo');
    assert.deepEqual(enabledGateways(config.components.ingressGateways), ['istio-ingressgateway']);
    assert.deepEqual(enabledGateways(config.components.egressGateways), ['istio-egressgateway']);
    assert.equal(config.meshConfig.accessLogFile, '/dev/stdout');
    assert.equal((config.values.pilot as JsonObject).traceSampling, 100);
  });

  it('minimal keeps only istiod; empty installs nothing', () => {
    const minimal = resolveInstallConfig({ set: ['profile=minimal'] });
    assert.equal(minimal.components.pilot, true);
    assert.deepEqual(enabledGateways(minimal.components.ingressGateways), []);
    const empty = resolveInstallConfig({ set: ['profile=empty'] });
    assert.equal(empty.components.base, false);
    assert.equal(empty.components.pilot, false);
    assert.deepEqual(enabledGateways(empty.components.ingressGateways), []);
  });

  it('ambient enables cni and ztunnel and drops the ingress gateway', () => {
    const config = resolveInstallConfig({ set: ['profile=ambient'] });
    assert.equal(config.components.cni, true);
    assert.equal(config.components.ztunnel, true);
    assert.deepEqual(enabledGateways(config.components.ingressGateways), []);
  });

  it('takes the profile and gateway switches from demo-profile-no-gateways.yaml', { skip: istioSamplesMissing }, () => {
    const config = resolveInstallConfig({ files: [noGateways()] });
    assert.equal(config.profile, 'demo');
    assert.deepEqual(enabledGateways(config.components.ingressGateways), []);
    assert.deepEqual(enabledGateways(config.components.egressGateways), []);
    assert.equal(config.meshConfig.accessLogFile, '/dev/stdout');
  });

  it('applies --set after files: meshConfig, values, components and revision', { skip: istioSamplesMissing }, () => {
    const config = resolveInstallConfig({
      files: [noGateways()],
      set: [
        'meshConfig.accessLogFile=/tmp/access.log',
        'components.egressGateways[0].enabled=true',
        'components.ingressGateways[name:istio-ingressgateway].enabled=true',
        'values.sidecarInjectorWebhook.enableNamespacesByDefault=true',
        'revision=canary',
        'components.cni.enabled=true',
      ],
    });
    assert.equal(config.meshConfig.accessLogFile, '/tmp/access.log');
    assert.deepEqual(enabledGateways(config.components.egressGateways), ['istio-egressgateway']);
    assert.deepEqual(enabledGateways(config.components.ingressGateways), ['istio-ingressgateway']);
    assert.equal((config.values.sidecarInjectorWebhook as JsonObject).enableNamespacesByDefault, true);
    assert.equal(config.revision, 'canary');
    assert.equal(config.components.cni, true);
  });

  it('rejects an unknown profile and a malformed --set with coded errors', () => {
    assert.throws(() => resolveInstallConfig({ set: ['profile=bogus'] }), (error: unknown) => error instanceof InstallConfigError && error.code === 'UNKNOWN_PROFILE' && /"bogus"/.test(error.message));
    assert.throws(() => resolveInstallConfig({ set: ['profile'] }), (error: unknown) => error instanceof InstallConfigError && error.code === 'BAD_SET_FLAG');
    assert.throws(() => resolveInstallConfig({ files: [{ apiVersion: 'v1', kind: 'ConfigMap' }] }), (error: unknown) => error instanceof InstallConfigError && error.code === 'NOT_ISTIO_OPERATOR');
  });
});
