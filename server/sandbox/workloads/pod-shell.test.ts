import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecRequest, ExecStreams } from '../api-server/pod-exec.ts';
import type { JsonObject } from '../core/json-object.ts';
import { ManualClock } from '../core/manual-clock.ts';
import { createRng } from '../core/rng.ts';
import { createDataPlane } from '../istio/data-plane/create-data-plane.ts';
import { createPodShell } from './pod-shell.ts';

const pod: JsonObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'curl-7d9f-abcde', namespace: 'default', labels: { app: 'curl' } },
  spec: { nodeName: 'node-1', containers: [{ name: 'curl', image: 'curlimages/curl', env: [{ name: 'GREETING', value: 'hi' }] }] },
  status: { phase: 'Running', podIP: '10.244.0.7', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'curl', ready: true, state: { running: {} } }] },
};
const service: JsonObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'product-page', namespace: 'default' },
  spec: { clusterIP: '10.96.0.50', ports: [{ name: 'http', port: 9080, protocol: 'TCP', targetPort: 9080 }] },
};

function shell(): ReturnType<typeof createPodShell> {
  const objects = [pod, service];
  const plane = createDataPlane({ objects: () => objects, clock: new ManualClock(0), rng: createRng(1) });
  return createPodShell({ plane, objects: () => objects });
}

function fakeStreams(): { streams: ExecStreams; output: () => string; errors: () => string; type: (text: string) => void; end: () => void } {
  let out = '';
  let err = '';
  let onStdin: (data: Buffer) => void = () => {};
  let onEnd: () => void = () => {};
  const streams: ExecStreams = {
    stdout: (data) => void (out += data.toString()),
    stderr: (data) => void (err += data.toString()),
    onStdin: (listener) => void (onStdin = listener),
    onStdinEnd: (listener) => void (onEnd = listener),
    onResize: () => {},
    signal: new AbortController().signal,
  };
  return { streams, output: () => out, errors: () => err, type: (text) => onStdin(Buffer.from(text)), end: () => onEnd() };
}

function request(command: string[], flags: { stdin?: boolean; tty?: boolean } = {}): ExecRequest {
  return { namespace: 'default', pod, container: 'curl', command, stdin: flags.stdin ?? false, tty: flags.tty ?? false };
}

/** Lets the shell's promise chain run. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

describe('a shell in the pod', () => {
  it('runs a command with the pod as hostname and the container and Service environment', async () => {
    const io = fakeStreams();
    const code = await shell()(request(['sh', '-c', 'echo "$(hostname) $HOSTNAME $GREETING $PRODUCT_PAGE_SERVICE_HOST:$PRODUCT_PAGE_SERVICE_PORT_HTTP"; exit 3']), io.streams);
    assert.equal(code, 3);
    assert.equal(io.output(), 'curl-7d9f-abcde curl-7d9f-abcde hi 10.96.0.50:9080\n');
  });

  it('runs argv words as given, and reports a missing program as the shell would', async () => {
    const io = fakeStreams();
    assert.equal(await shell()(request(['echo', 'a b', '$HOME']), io.streams), 0);
    assert.equal(io.output(), 'a b $HOME\n');
    const missing = fakeStreams();
    assert.equal(await shell()(request(['no-such-program']), missing.streams), 127);
  });

  it('curl to an unknown host exits 6 with curl’s message', async () => {
    const io = fakeStreams();
    assert.equal(await shell()(request(['curl', '-sS', 'http://nope/']), io.streams), 6);
    assert.equal(io.errors(), 'curl: (6) Could not resolve host: nope\n');
  });

  it('with a TTY: prompts, echoes what is typed, keeps state between lines, and exits with exit', async () => {
    const io = fakeStreams();
    const done = shell()(request(['sh'], { stdin: true, tty: true }), io.streams);
    await settle();
    io.type('cd /tmp\r');
    await settle();
    io.type('pwdd\x7f\r');
    await settle();
    io.type('exit 5\r');
    assert.equal(await done, 5);
    assert.equal(io.output(), '# cd /tmp\r\n# pwdd\b \b\r\n/tmp\r\n# exit 5\r\n');
  });

  it('without a TTY: reads lines without a prompt and ends with stdin', async () => {
    const io = fakeStreams();
    const done = shell()(request(['sh'], { stdin: true }), io.streams);
    io.type('echo one\necho two');
    io.end();
    assert.equal(await done, 0);
    assert.equal(io.output(), 'one\ntwo\n');
  });

  it("keeps a container's files from one exec to the next, and a new pod starts empty", async () => {
    const run = shell();
    const write = fakeStreams();
    assert.equal(await run(request(['sh', '-c', 'echo kept > /tmp/sample.cookies']), write.streams), 0);
    const read = fakeStreams();
    assert.equal(await run(request(['cat', '/tmp/sample.cookies']), read.streams), 0);
    assert.equal(read.output(), 'kept\n');
    const recreated: JsonObject = { ...pod, metadata: { ...(pod.metadata as JsonObject), uid: 'another-incarnation' } };
    const fresh = fakeStreams();
    assert.equal(await run({ ...request(['cat', '/tmp/sample.cookies']), pod: recreated }, fresh.streams), 1);
    assert.equal(fresh.output(), '');
  });
});
