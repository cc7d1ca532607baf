import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meshSettings } from './mesh-settings.ts';

const configMap = (mesh: string, namespace = 'istio-system') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace }, data: { mesh } });

test('accessLogFile from the istio ConfigMap in istio-system only', () => {
  assert.deepEqual(meshSettings([configMap('accessLogFile: /dev/stdout\nenableTracing: true\n')]), { accessLogFile: '/dev/stdout' });
  assert.deepEqual(meshSettings([configMap('accessLogFile: ""\n')]), {});
  assert.deepEqual(meshSettings([configMap('defaultConfig: {}\n')]), {});
  assert.deepEqual(meshSettings([configMap('accessLogFile: /dev/stdout\n', 'default')]), {});
  assert.deepEqual(meshSettings([configMap(': : not yaml [')]), {});
  assert.deepEqual(meshSettings([]), {});
});
