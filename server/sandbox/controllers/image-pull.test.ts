import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imagePullOutcome, qualifiedImage } from './image-pull.ts';

describe('imagePullOutcome', () => {
  it('pulls known images at release-like tags, digests and word tags', () => {
    for (const image of ['nginx', 'nginx:1.27', 'docker.io/library/nginx:1.27.0-alpine', 'busybox:latest', 'curlimages/curl:8.10.1', 'docker.io/istio/examples-bookinfo-reviews-v3:1.20.2',
      'registry.k8s.io/pause:3.10', 'ghcr.io/anything/at/all:v2', `nginx@sha256:${'a'.repeat(64)}`, 'nginx:stable-alpine', 'debian:bookworm', 'fortio/fortio:latest_release']) {
      assert.deepEqual(imagePullOutcome(image), { kind: 'pulled' }, image);
    }
  });

  it('a tag nobody published is NotFound', () => {
    assert.deepEqual(imagePullOutcome('nginx:doesnotexist'), {
      kind: 'failed',
      message: 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:doesnotexist": failed to resolve reference "docker.io/library/nginx:doesnotexist": docker.io/library/nginx:doesnotexist: not found',
    });
  });

  it('an unknown Docker Hub repository is "pull access denied"', () => {
    assert.deepEqual(imagePullOutcome('doesnotexist/app'), {
      kind: 'failed',
      message: 'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/doesnotexist/app:latest": failed to resolve reference "docker.io/doesnotexist/app:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    });
    assert.equal(imagePullOutcome('ngnix:1.27').kind, 'failed', 'a typo of an official image');
  });

  it('an unknown registry does not resolve', () => {
    assert.deepEqual(imagePullOutcome('registry.example.internal:5000/team/app:1.0'), {
      kind: 'failed',
      message: 'rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.internal:5000/team/app:1.0": failed to resolve reference "registry.example.internal:5000/team/app:1.0": failed to do request: Head "https://registry.example.internal:5000/v2/team/app/manifests/1.0": dial tcp: lookup registry.example.internal on 172.18.0.1:53: no such host',
    });
  });

  it('references that do not parse are invalid names', () => {
    assert.deepEqual(imagePullOutcome('Nginx:1.27'), { kind: 'invalid', message: 'Failed to apply default image tag "Nginx:1.27": couldn\'t parse image name "Nginx:1.27": invalid reference format: repository name (library/Nginx) must be lowercase' });
    assert.deepEqual(imagePullOutcome('nginx:1.27:2'), { kind: 'invalid', message: 'Failed to apply default image tag "nginx:1.27:2": couldn\'t parse image name "nginx:1.27:2": invalid reference format' });
    assert.equal(imagePullOutcome('nginx@sha256:xyz').kind, 'invalid');
    assert.equal(imagePullOutcome('-nginx').kind, 'invalid');
  });

  it('qualifies short names as containerd does', () => {
    assert.equal(qualifiedImage('nginx'), 'docker.io/library/nginx:latest');
    assert.equal(qualifiedImage('istio/proxyv2:1.24.0'), 'docker.io/istio/proxyv2:1.24.0');
    assert.equal(qualifiedImage('localhost:5000/app'), 'localhost:5000/app:latest');
  });
});
