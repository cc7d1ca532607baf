import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerExitCode } from './container-exit.ts';

describe('containerExitCode', () => {
  it('knows commands that end', () => {
    assert.equal(containerExitCode({ image: 'busybox', command: ['false'] }), 1);
    assert.equal(containerExitCode({ image: 'busybox', command: ['/bin/true'] }), 0);
    assert.equal(containerExitCode({ image: 'busybox', command: ['sh', '-c', 'exit 1'] }), 1);
    assert.equal(containerExitCode({ image: 'busybox', command: ['/bin/sh', '-c', 'echo boom; exit 42; sleep 10'] }), 42);
    assert.equal(containerExitCode({ image: 'busybox', command: ['sh'], args: ['-c', 'echo done'] }), 0);
    assert.equal(containerExitCode({ image: 'alpine', command: ['sh', '-ec', 'date && false'] }), 1);
    assert.equal(containerExitCode({ image: 'busybox', command: ['sh'] }), 0, 'a shell without stdin ends at once');
  });

  it('runs args as the command for images without an entrypoint', () => {
    assert.equal(containerExitCode({ image: 'busybox:1.36', args: ['echo', 'hi'] }), 0);
    assert.equal(containerExitCode({ image: 'curlimages/curl', args: ['echo', 'hi'] }), undefined, 'curl\'s entrypoint takes them');
  });

  it('treats servers, sleeps, loops and unknown commands as long-running', () => {
    assert.equal(containerExitCode({ image: 'nginx' }), undefined);
    assert.equal(containerExitCode({ image: 'busybox', command: ['sleep', '3600'] }), undefined);
    assert.equal(containerExitCode({ image: 'busybox', command: ['sh', '-c', 'while true; do echo hi; sleep 1; done'] }), undefined);
    assert.equal(containerExitCode({ image: 'busybox', command: ['sh', '-c', 'read line'] }), undefined);
    assert.equal(containerExitCode({ image: 'busybox', command: ['sh'], stdin: true }), undefined);
    assert.equal(containerExitCode({ image: 'curlimages/curl', command: ['/bin/sleep', 'infinity'] }), undefined);
  });
});
