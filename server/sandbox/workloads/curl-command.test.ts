import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Bash } from 'just-bash';
import type { DataPlane, DataPlaneRequest, DataPlaneResult, HttpResponse } from '../istio/data-plane/create-data-plane.ts';
import { NetworkError } from '../network/network-error.ts';
import { createCurlCommand, parseCurlArgs } from './curl-command.ts';

type Answer = (request: DataPlaneRequest) => Omit<DataPlaneResult, 'trace' | 'elapsedMs'>;

/** A plane that answers from a function and remembers what it was sent. */
function recordingPlane(answer: Answer): { plane: DataPlane; sent: DataPlaneRequest[] } {
  const sent: DataPlaneRequest[] = [];
  const plane: DataPlane = {
    async send(request) {
      sent.push(request);
      const host = new URL(request.url).hostname;
      return { ...answer(request), trace: { hops: [{ depth: 0, kind: 'dns', at: 'curl-1.default', startMs: 0, note: `${host} → ${host}.default.svc.cluster.local 10.96.0.42` }] }, elapsedMs: 0 };
    },
    proxyLogs: () => [],
    clusterStats: () => [],
    appLogs: () => [],
    edges: () => [],
    recentRequests: () => [],
  };
  return { plane, sent };
}

const ok: Answer = () => ({ response: { status: 200, headers: { 'content-type': 'text/plain', 'content-length': '6' }, body: 'hello\n' } });
const unresolved: Answer = (request) => ({ error: new NetworkError('ENOTFOUND', { host: new URL(request.url).hostname, port: 80, phase: 'resolve', elapsedMs: 0 }) });

function shell(answer: Answer): { bash: Bash; sent: DataPlaneRequest[] } {
  const { plane, sent } = recordingPlane(answer);
  const bash = new Bash({ customCommands: [createCurlCommand({ plane, from: { fromPod: { name: 'curl-1', namespace: 'default' } } })] });
  return { bash, sent };
}

describe('parseCurlArgs', () => {
  it('reads bundled short flags, values glued or separate, and long options with =', () => {
    const options = parseCurlArgs(['-sSo', '/dev/null', '-w%{http_code}', '--max-time=2.5', '--connect-timeout', '1', '-HX-A: 1', 'http://a/']);
    assert.equal(options.silent, true);
    assert.equal(options.showError, true);
    assert.equal(options.output, '/dev/null');
    assert.equal(options.writeOut, '%{http_code}');
    assert.equal(options.maxTimeMs, 2500);
    assert.equal(options.connectTimeoutMs, 1000);
    assert.deepEqual(options.headers, ['X-A: 1']);
    assert.deepEqual(options.urls, ['http://a/']);
  });
});

describe('curl in a pod', () => {
  it('sends method, headers, body and limits through the plane from its pod', async () => {
    const { bash, sent } = shell(ok);
    const result = await bash.exec(`curl -s -X PUT -H 'x-test: yes' -d a=b --max-time 3 --connect-timeout 1 httpbin:8000/put`);
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, 'hello\n');
    assert.deepEqual(sent[0], {
      fromPod: { name: 'curl-1', namespace: 'default' },
      method: 'PUT',
      url: 'http://httpbin:8000/put',
      headers: { 'user-agent': 'curl/8.16.0', accept: '*/*', 'content-type': 'application/x-www-form-urlencoded', 'x-test': 'yes' },
      body: 'a=b',
      timeoutMs: 3000,
      connectTimeoutMs: 1000,
    });
  });

  it('-i prints the status line and headers before the body; -I sends HEAD and prints only them', async () => {
    const { bash, sent } = shell(ok);
    const included = await bash.exec('curl -si http://a/');
    assert.equal(included.stdout, 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 6\r\n\r\nhello\n');
    const head = await bash.exec('curl -sI http://a/');
    assert.equal(sent[1]?.method, 'HEAD');
    assert.equal(head.stdout, 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 6\r\n\r\n');
  });

  it('a failure prints curl: (6) unless silenced, and -w shows 000', async () => {
    const { bash } = shell(unresolved);
    const quiet = await bash.exec('curl -s -o /dev/null -w "%{http_code}\\n" http://nope/');
    assert.deepEqual([quiet.stdout, quiet.stderr, quiet.exitCode], ['000\n', '', 6]);
    const shown = await bash.exec('curl -sS http://nope/');
    assert.deepEqual([shown.stdout, shown.stderr, shown.exitCode], ['', 'curl: (6) Could not resolve host: nope\n', 6]);
  });

  it('-w reports times from the plane, the downloaded size, the content type and the effective URL', async () => {
    const sent: DataPlaneRequest[] = [];
    const plane: DataPlane = {
      async send(request) {
        sent.push(request);
        const redirect = request.url.endsWith('/old');
        // A client without a sidecar: DNS, then the TCP connection accepted 3 ms later.
        const hops = [
          { depth: 0, kind: 'dns' as const, at: 'client', startMs: 100, endMs: 100, note: 'a → a.default.svc.cluster.local 10.96.0.42' },
          { depth: 0, kind: 'connect' as const, at: 'client', startMs: 100, endMs: 103 },
        ];
        const response: HttpResponse = redirect ? { status: 302, headers: { location: '/new' }, body: '' } : { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}\n' };
        return { response, trace: { hops }, elapsedMs: redirect ? 250 : 1_234 };
      },
      proxyLogs: () => [],
      clusterStats: () => [],
      appLogs: () => [],
      edges: () => [],
      recentRequests: () => [],
    };
    const bash = new Bash({ customCommands: [createCurlCommand({ plane, from: { fromWorkstation: {} } })] });
    const format = '%{http_code} %{time_total} %{time_connect} %{size_download} %{content_type} %{url_effective} %{remote_ip}\\n';
    const direct = await bash.exec(`curl -s -o /dev/null -w "${format}" http://a/new`);
    assert.equal(direct.stdout, '200 1.234000 0.003000 12 application/json http://a/new 10.96.0.42\n');
    // Following a redirect: the times add up, the URL is where the transfer ended.
    const followed = await bash.exec(`curl -sL -o /dev/null -w "${format}" http://a/old`);
    assert.equal(followed.stdout, '200 1.484000 0.003000 12 application/json http://a/new 10.96.0.42\n');
    const head = await bash.exec(`curl -sI -o /dev/null -w "%{size_download}" http://a/new`);
    assert.equal(head.stdout, '0');
    const { bash: failing } = shell(unresolved);
    const failed = await failing.exec(`curl -s -o /dev/null -w "${format}" http://nope/`);
    assert.equal(failed.stdout, '000 0.000000 0.000000 0  http://nope/ \n');
  });

  it('-L follows a redirect, -f fails on an error status with 22', async () => {
    const { bash, sent } = shell((request): ReturnType<Answer> =>
      request.url.endsWith('/old') ? { response: { status: 302, headers: { location: '/new' }, body: '' } } : { response: { status: 404, headers: {}, body: 'missing\n' } },
    );
    const followed = await bash.exec('curl -sL http://a/old');
    assert.equal(followed.stdout, 'missing\n');
    assert.deepEqual(sent.map((r) => r.url), ['http://a/old', 'http://a/new']);
    const failed = await bash.exec('curl -sSf http://a/new');
    assert.deepEqual([failed.stdout, failed.stderr, failed.exitCode], ['', 'curl: (22) The requested URL returned error: 404\n', 22]);
  });

  it('--resolve pins the address while keeping the Host header', async () => {
    const { bash, sent } = shell(ok);
    await bash.exec('curl -s --resolve httpbin.example.com:80:172.18.0.100 http://httpbin.example.com/status/200');
    assert.equal(sent[0]?.url, 'http://172.18.0.100/status/200');
    assert.equal(sent[0]?.headers?.host, 'httpbin.example.com');
  });

  it('-o writes the body to a file in the pod; -v shows the exchange on stderr', async () => {
    const { bash } = shell(ok);
    const saved = await bash.exec('cd /tmp && curl -s -o page.txt http://a:9080/x && cat /tmp/page.txt');
    assert.equal(saved.stdout, 'hello\n');
    const verbose = await bash.exec('curl -sv http://a:9080/x');
    assert.match(verbose.stderr, /^\* Host a:9080 was resolved\.\n\* IPv6: \(none\)\n\* IPv4: 10\.96\.0\.42\n/);
    assert.match(verbose.stderr, /\n> GET \/x HTTP\/1\.1\r\n> Host: a:9080\r\n> User-Agent: curl\/8\.16\.0\r\n> Accept: \*\/\*\r\n> \r\n/);
    assert.match(verbose.stderr, /\n< HTTP\/1\.1 200 OK\r\n< content-type: text\/plain\r\n/);
  });

  it('rejects an unknown option and a missing URL with exit code 2', async () => {
    const { bash, sent } = shell(ok);
    const unknown = await bash.exec('curl --bogus http://a/');
    assert.equal(unknown.exitCode, 2);
    assert.equal(unknown.stderr, "curl: option --bogus: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
    const none = await bash.exec('curl -s');
    assert.equal(none.exitCode, 2);
    assert.match(none.stderr, /^curl: no URL specified\n/);
    assert.equal(sent.length, 0);
  });

  it('-c writes the cookies an answer set; -b sends them back, to the same host only', async () => {
    const { bash, sent } = shell((request): ReturnType<Answer> =>
      request.url.endsWith('/login')
        ? { response: { status: 302, headers: { location: 'None', 'set-cookie': 'session=abc.def; HttpOnly; Path=/' }, body: '' } }
        : { response: { status: 200, headers: {}, body: `${request.headers?.cookie ?? 'no cookie'}\n` } },
    );
    const login = await bash.exec('curl -c /tmp/sample.cookies "http://gw.istio-system/login" --data "username=jason&passwd=password"');
    assert.equal(login.exitCode, 0);
    const file = await bash.exec('cat /tmp/sample.cookies');
    assert.equal(
      file.stdout,
      '# Netscape HTTP Cookie File\n# https://curl.se/docs/http-cookies.html\n# This file was generated by libcurl! Edit at your own risk.\n\n#HttpOnly_gw.istio-system\tFALSE\t/\tFALSE\t0\tsession\tabc.def\n',
    );
    const again = await bash.exec('curl -s "http://gw.istio-system/productpage" -b /tmp/sample.cookies');
    assert.equal(again.stdout, 'session=abc.def\n');
    const elsewhere = await bash.exec('curl -s http://other/productpage -b /tmp/sample.cookies');
    assert.equal(elsewhere.stdout, 'no cookie\n');
    const literal = await bash.exec('curl -s -b "user=jason; theme=dark" http://other/');
    assert.equal(literal.stdout, 'user=jason; theme=dark\n');
    // A cookie file that does not exist yet is an empty jar, not an error.
    const missing = await bash.exec('curl -s -b /tmp/none.txt http://other/');
    assert.deepEqual([missing.stdout, missing.exitCode], ['no cookie\n', 0]);
    assert.equal(sent.length, 5);
  });

  it('--retry tries again after transient answers, waiting --retry-delay, and warns unless silent', async () => {
    let calls = 0;
    const waits: number[] = [];
    const { plane, sent } = recordingPlane((): ReturnType<Answer> => (++calls < 3 ? { response: { status: 503, headers: {}, body: 'busy\n' } } : { response: { status: 200, headers: {}, body: 'ok\n' } }));
    const sleep = async (ms: number): Promise<void> => void waits.push(ms);
    const bash = new Bash({ customCommands: [createCurlCommand({ plane, from: { fromPod: { name: 'curl-1', namespace: 'default' } }, sleep })] });
    const result = await bash.exec('curl http://a/ --retry 3 --retry-connrefused --retry-delay 5');
    assert.deepEqual([result.stdout, result.exitCode], ['ok\n', 0]);
    assert.equal(result.stderr, 'Warning: Problem : HTTP error. Will retry in 5 seconds. 3 retries left.\nWarning: Problem : HTTP error. Will retry in 5 seconds. 2 retries left.\n');
    assert.deepEqual(waits, [5000, 5000]);
    assert.equal(sent.length, 3);
    // A 404 is not transient: one try only, and -s keeps the warnings quiet.
    const notFound = recordingPlane((): ReturnType<Answer> => ({ response: { status: 404, headers: {}, body: '' } }));
    const quiet = new Bash({ customCommands: [createCurlCommand({ plane: notFound.plane, from: { fromWorkstation: {} }, sleep })] });
    const once = await quiet.exec('curl -s --retry 3 http://a/');
    assert.deepEqual([once.stderr, notFound.sent.length], ['', 1]);
  });

  it('connection refused is retried only with --retry-connrefused', async () => {
    const refused: Answer = (request) => ({ error: new NetworkError('ECONNREFUSED', { host: new URL(request.url).hostname, port: 80, phase: 'connect', elapsedMs: 0 }) });
    const waits: number[] = [];
    const sleep = async (ms: number): Promise<void> => void waits.push(ms);
    const plain = recordingPlane(refused);
    const bash = new Bash({ customCommands: [createCurlCommand({ plane: plain.plane, from: { fromWorkstation: {} }, sleep })] });
    const result = await bash.exec('curl -sS --retry 2 http://a/');
    assert.deepEqual([result.exitCode, plain.sent.length], [7, 1]);
    const eager = recordingPlane(refused);
    const retrying = new Bash({ customCommands: [createCurlCommand({ plane: eager.plane, from: { fromWorkstation: {} }, sleep })] });
    const again = await retrying.exec('curl --retry 2 --retry-connrefused http://a/');
    assert.deepEqual([again.exitCode, eager.sent.length], [7, 3]);
    // Without --retry-delay curl backs off from one second, doubling.
    assert.deepEqual(waits, [1000, 2000]);
    assert.match(again.stderr, /^Warning: Problem : connection refused\. Will retry in 1 second\. 2 retries left\.\nWarning: Problem : connection refused\. Will retry in 2 seconds\. 1 retry left\.\n/);
  });
});
