// The mesh-wide settings the data plane reads from istiod's `istio` ConfigMap in istio-system
// (`data.mesh`, YAML): today only whether Envoy access logs are written.
import { parse } from 'yaml';
import { asObject, asString, type JsonObject } from '../../core/json-object.ts';

export interface MeshSettings {
  /** `meshConfig.accessLogFile`; access logs are written only when it is set. */
  accessLogFile?: string;
}

export function meshSettings(objects: readonly JsonObject[]): MeshSettings {
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && asObject(o.metadata).name === 'istio' && asObject(o.metadata).namespace === 'istio-system');
  const text = asString(asObject(configMap?.data).mesh);
  if (text === undefined) return {};
  try {
    const mesh = asObject(parse(text) as unknown);
    const file = asString(mesh.accessLogFile);
    return file === undefined || file === '' ? {} : { accessLogFile: file };
  } catch {
    return {};
  }
}
