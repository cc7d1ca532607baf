import assert from 'node:assert/strict';
import { it } from 'node:test';
import { decodeProtobufObject, ProtobufError } from './protobuf-body.ts';

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}
const field = (number: number, bytes: number[]): number[] => [...varint((number << 3) | 2), ...varint(bytes.length), ...bytes];
const text = (number: number, value: string): number[] => field(number, [...Buffer.from(value)]);
const int = (number: number, value: number): number[] => [...varint(number << 3), ...varint(value)];
const envelope = (apiVersion: string, kind: string, raw: number[]): Buffer =>
  Buffer.from([0x6b, 0x38, 0x73, 0x00, ...field(1, [...text(1, apiVersion), ...text(2, kind)]), ...field(2, raw), ...text(3, ''), ...text(4, '')]);

it('decodes a Namespace the way kubectl 1.32 sends it', () => {
  const meta = [...text(1, 'team-a'), ...text(2, ''), ...text(3, ''), ...field(11, [...text(1, 'env'), ...text(2, 'dev')])];
  const object = decodeProtobufObject(envelope('v1', 'Namespace', [...field(1, meta), ...field(2, []), ...field(3, [])]));
  assert.deepEqual(object, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { env: 'dev' } }, spec: {} });
});

it('decodes a Deployment with an explicit zero replica count, ports and int-or-string values', () => {
  const container = [...text(1, 'web'), ...text(2, 'nginx'), ...field(6, int(3, 80)), ...field(8, [])];
  const template = [...field(1, field(11, [...text(1, 'app'), ...text(2, 'web')])), ...field(2, field(2, container))];
  const spec = [
    ...int(1, 0),
    ...field(2, field(1, [...text(1, 'app'), ...text(2, 'web')])),
    ...field(3, template),
    ...field(4, field(2, field(1, [...int(1, 1), ...text(3, '25%')]))),
  ];
  const object = decodeProtobufObject(envelope('apps/v1', 'Deployment', [...field(1, text(1, 'web')), ...field(2, spec)]));
  assert.deepEqual(object.spec, {
    replicas: 0,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], resources: {} }] } },
    strategy: { rollingUpdate: { maxUnavailable: '25%' } },
  });
});

it('decodes Secret bytes as base64 and rejects unknown kinds and garbage', () => {
  const secret = decodeProtobufObject(envelope('v1', 'Secret', [...field(1, text(1, 's')), ...field(2, [...text(1, 'k'), ...text(2, 'v')]), ...text(3, 'Opaque')]));
  assert.deepEqual(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'dg==' }, type: 'Opaque' });
  assert.throws(() => decodeProtobufObject(envelope('v1', 'Pod', [])), ProtobufError);
  assert.throws(() => decodeProtobufObject(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff])), ProtobufError);
});
