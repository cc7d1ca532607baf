// kubectl port-forward (SPDY tunnelled in a websocket on 1.31+, raw SPDY/3.1 on ≤ 1.30),
// exec over raw SPDY and attach, driven with the real kubectl.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { duplexPair } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { PortForwardHandler } from '../../server/sandbox/api-server/pod-portforward.ts';
import type { ExecHandler } from '../../server/sandbox/api-server/pod-exec.ts';
import { startKubectlHarness, type KubectlHarness } from './kubectl-harness.ts';

/** A pod "listening" on port 80: an in-memory HTTP server fed each forwarded connection. */
const web = createServer((req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end(`hello from the pod: ${req.method ?? ''} ${req.url ?? ''}\n`);
});

const portForward: PortForwardHandler = ({ pod, port }) => {
  const labels = (pod.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {};
  if (port !== 80 || labels.app !== 'web') return undefined;
  const [inside, outside] = duplexPair();
  web.emit('connection', inside);
  return outside;
};

const exec: ExecHandler = async (request, streams) => {
  if (request.command[0] === 'cat') {
    return new Promise((resolve) => {
      streams.onStdin((data) => streams.stdout(data));
      streams.onStdinEnd(() => resolve(0));
    });
  }
  if (request.command[0] === 'sh') {
    streams.stderr('failing on purpose\n');
    return 7;
  }
  streams.stdout(`${request.container}: ${request.command.join(' ')}\n`);
  return 0;
};

/** The container's main process, joined by `kubectl attach`: greets, then shouts back its input. */
const attach: ExecHandler = (request, streams) =>
  new Promise((resolve) => {
    streams.stdout(`attached to ${request.command.join(' ')}\n`);
    streams.onStdin((data) => streams.stdout(data.toString('utf8').toUpperCase()));
    streams.onStdinEnd(() => resolve(0));
  });

interface Forwarding {
  port: number;
  output: () => { stdout: string; stderr: string };
  stop: () => Promise<void>;
}

/** Starts `kubectl port-forward … :80` (a free local port) and waits for its first line. */
function startPortForward(h: KubectlHarness, target: string, remote: string, env: Record<string, string> = {}): Promise<Forwarding> {
  const child = spawn('kubectl', ['port-forward', target, `:${remote}`], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: h.dir, KUBECONFIG: h.kubeconfig, LANG: 'C.UTF-8', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop().then(() => reject(new Error(`port-forward did not start: ${stdout}${stderr}`)));
    }, 10_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /^Forwarding from 127\.0\.0\.1:(\d+) -> \d+$/m.exec(stdout);
      if (match !== null) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), output: () => ({ stdout, stderr }), stop });
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`port-forward exited: ${stdout}${stderr}`));
    });
  });
}

function kubectlWith(h: KubectlHarness, args: string[], env: Record<string, string>, input = ''): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      args,
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: h.dir, KUBECONFIG: h.kubeconfig, LANG: 'C.UTF-8', ...env }, timeout: 15_000, encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ stdout, stderr, code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1 }),
    );
    child.stdin?.end(input);
  });
}

async function fetchText(port: number, path: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5_000) });
  assert.equal(response.status, 200);
  return response.text();
}

for (const minor of ['32', '30']) {
  describe(`kubectl 1.${minor} port-forward, SPDY exec and attach`, () => {
    let h: KubectlHarness;
    before(async () => {
      h = await startKubectlHarness({ version: { major: '1', minor, gitVersion: `v1.${minor}.0` }, portForward, exec, attach });
      assert.equal((await h.kubectl(['run', 'web', '--image=nginx', '--labels=app=web', '--port=80'])).code, 0);
      assert.equal((await h.kubectl(['run', 'idle', '--image=busybox', '--labels=app=idle', '--', 'sh', '-c', 'read line'])).code, 0);
      assert.equal((await h.kubectl(['create', 'service', 'clusterip', 'web', '--tcp=8080:80'])).code, 0);
      const wait = await h.kubectl(['wait', '--for=condition=Ready', 'pod/web', 'pod/idle', '--timeout=10s']);
      assert.equal(wait.code, 0, wait.stderr);
    });
    after(async () => h?.close());

    it('forwards a pod port: several connections, real kubectl output', async () => {
      const forwarding = await startPortForward(h, 'pod/web', '80');
      try {
        const [first, second] = await Promise.all([fetchText(forwarding.port, '/one'), fetchText(forwarding.port, '/two')]);
        assert.equal(first, 'hello from the pod: GET /one\n');
        assert.equal(second, 'hello from the pod: GET /two\n');
        assert.equal(await fetchText(forwarding.port, '/three'), 'hello from the pod: GET /three\n');
      } finally {
        await forwarding.stop();
      }
      const { stdout } = forwarding.output();
      assert.match(stdout, new RegExp(`^Forwarding from 127\\.0\\.0\\.1:${forwarding.port} -> 80\\n`));
      assert.match(stdout, new RegExp(`\\nForwarding from \\[::1\\]:${forwarding.port} -> 80\\n`));
      assert.match(stdout, new RegExp(`\\nHandling connection for ${forwarding.port}\\n`));
    });

    it('forwards a service port to the pod port kubectl resolves', async () => {
      const forwarding = await startPortForward(h, 'svc/web', '8080');
      try {
        assert.equal(await fetchText(forwarding.port, '/via-service'), 'hello from the pod: GET /via-service\n');
      } finally {
        await forwarding.stop();
      }
      assert.match(forwarding.output().stdout, new RegExp(`^Forwarding from 127\\.0\\.0\\.1:${forwarding.port} -> 80\\n`));
    });

    it('reports a refused pod port on the error stream', async () => {
      const forwarding = await startPortForward(h, 'pod/idle', '80');
      try {
        await assert.rejects(fetch(`http://127.0.0.1:${forwarding.port}/`, { signal: AbortSignal.timeout(5_000) }));
        // kubectl logs the error stream's message once the stream ends.
        for (let i = 0; i < 50 && !forwarding.output().stderr.includes('an error occurred forwarding'); i++) await new Promise((r) => setTimeout(r, 100));
      } finally {
        await forwarding.stop();
      }
      assert.match(
        forwarding.output().stderr,
        // 1.32 klog quotes the message (escaping its inner quotes); 1.30 prints it bare.
        /an error occurred forwarding \d+ -> 80: error forwarding port 80 to pod [0-9a-f]{64}, uid : failed to connect to localhost:80 inside namespace \\?"[0-9a-f]{64}\\?", IPv4: dial tcp4 127\.0\.0\.1:80: connect: connection refused IPv6 dial tcp6 \[::1\]:80: connect: connection refused/,
      );
    });

    it('execs over raw SPDY: output, stdin and exit codes', async () => {
      // Websockets off: kubectl 1.30+ then speaks SPDY/3.1 from the start, as 1.29 and older do.
      const spdy = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };
      const echo = await kubectlWith(h, ['exec', 'web', '--', 'echo', 'hello'], spdy);
      assert.equal(echo.code, 0, echo.stderr);
      assert.equal(echo.stdout, 'web: echo hello\n');
      const piped = await kubectlWith(h, ['exec', '-i', 'web', '--', 'cat'], spdy, 'hello stdin\n');
      assert.equal(piped.code, 0, piped.stderr);
      assert.equal(piped.stdout, 'hello stdin\n');
      const failing = await kubectlWith(h, ['exec', 'web', '--', 'sh', '-c', 'exit 7'], spdy);
      assert.equal(failing.code, 7);
      assert.equal(failing.stderr, 'failing on purpose\ncommand terminated with exit code 7\n');
      const wrong = await kubectlWith(h, ['exec', 'web', '-c', 'nope', '--', 'ls'], spdy);
      assert.equal(wrong.code, 1);
      assert.equal(wrong.stderr, 'Error from server (BadRequest): container nope is not valid for pod web\n');
    });

    it('attaches to the container process over websockets and over SPDY', async () => {
      for (const websockets of ['true', 'false']) {
        const attached = await kubectlWith(h, ['attach', '-i', 'idle'], { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: websockets }, 'hello\n');
        assert.equal(attached.code, 0, attached.stderr);
        assert.equal(attached.stdout, 'attached to sh -c read line\nHELLO\n');
        assert.equal(attached.stderr, "If you don't see a command prompt, try pressing enter.\n");
      }
    });
  });
}
