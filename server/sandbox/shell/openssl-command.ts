// The workstation's `openssl`, enough of it to read a certificate as a learner would on a real
// cluster (`… | base64 --decode | openssl x509 -noout -text`): `openssl x509` with `-in`,
// `-noout`, `-text`, `-subject`, `-issuer`, `-serial`, `-dates`, `-startdate`, `-enddate`,
// `-fingerprint` and `-ext`, printed in the order given as OpenSSL 3 does, and `openssl version`.
// It reads the first PEM certificate of its input, like the real one.
import { decodeBytesToUtf8, defineCommand } from 'just-bash';
import type { Command, ExecResult } from 'just-bash';
import { describeCertificate, opensslDate, type DescribedCertificate } from './x509-text.ts';

export const OPENSSL_VERSION = 'OpenSSL 3.0.13 30 Jan 2024 (Library: OpenSSL 3.0.13 30 Jan 2024)';

const PRINTS = new Set(['-text', '-subject', '-issuer', '-serial', '-dates', '-startdate', '-enddate', '-fingerprint']);
const IGNORED = new Set(['-sha1', '-nameopt', '-inform']);

function failure(stderr: string): ExecResult {
  return { stdout: '', stderr, exitCode: 1 };
}

/** The first `-----BEGIN CERTIFICATE-----` block as DER. */
function firstCertificate(text: string): Buffer | undefined {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(text);
  return match === null ? undefined : Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64');
}

function printed(option: string, cert: DescribedCertificate, sha256: boolean): string {
  switch (option) {
    case '-text':
      return cert.text;
    case '-subject':
      return `subject=${cert.subject}\n`;
    case '-issuer':
      return `issuer=${cert.issuer}\n`;
    case '-serial':
      return `serial=${cert.serialHex.length % 2 === 0 ? cert.serialHex : `0${cert.serialHex}`}\n`;
    case '-dates':
      return `notBefore=${opensslDate(cert.notBeforeMs)}\nnotAfter=${opensslDate(cert.notAfterMs)}\n`;
    case '-startdate':
      return `notBefore=${opensslDate(cert.notBeforeMs)}\n`;
    case '-enddate':
      return `notAfter=${opensslDate(cert.notAfterMs)}\n`;
    default:
      // OpenSSL 3's default digest for -fingerprint is SHA-1.
      return sha256 ? `sha256 Fingerprint=${cert.fingerprint256}\n` : `SHA1 Fingerprint=${cert.fingerprint}\n`;
  }
}

export async function runOpensslX509(args: readonly string[], input: { stdin: string; readFile: (path: string) => Promise<string | undefined> }): Promise<ExecResult> {
  let inFile: string | undefined;
  let noout = false;
  let sha256 = false;
  const prints: string[] = [];
  let extensions: string[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '-in') {
      inFile = args[++i];
      if (inFile === undefined) return failure('x509: Option -in needs a value\nx509: Use -help for summary.\n');
    } else if (arg === '-noout') noout = true;
    else if (arg === '-ext') {
      const list = args[++i];
      if (list === undefined) return failure('x509: Option -ext needs a value\nx509: Use -help for summary.\n');
      extensions = [...(extensions ?? []), ...list.split(',').map((name) => name.trim())];
      prints.push('-ext');
    } else if (PRINTS.has(arg)) prints.push(arg);
    else if (arg === '-sha256') sha256 = true;
    else if (IGNORED.has(arg)) {
      if (arg === '-nameopt' || arg === '-inform') i++;
    } else return failure(`x509: Unknown option: ${arg}\nx509: Use -help for summary.\n`);
  }
  const source = inFile ?? '<stdin>';
  const text = inFile === undefined ? input.stdin : await input.readFile(inFile);
  if (text === undefined) return failure(`Could not open file or uri for loading certificate from ${source}\nUnable to load certificate\n`);
  const der = firstCertificate(text);
  let cert: DescribedCertificate;
  try {
    if (der === undefined) throw new Error('no certificate');
    cert = describeCertificate(der);
  } catch {
    return failure(`Could not read certificate from ${source}\nUnable to load certificate\n`);
  }
  let stdout = '';
  let stderr = '';
  for (const option of prints) {
    if (option !== '-ext') {
      stdout += printed(option, cert, sha256);
      continue;
    }
    const wanted = new Set(extensions ?? []);
    const found = cert.extensions.filter((e) => wanted.has(e.short));
    if (found.length === 0) stderr += 'No extensions in certificate\n';
    for (const e of found) stdout += `${e.name}: ${e.critical ? 'critical' : ''}\n    ${e.value}\n`;
    extensions = [];
  }
  if (!noout) stdout += `-----BEGIN CERTIFICATE-----\n${(der?.toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
  return { stdout, stderr, exitCode: 0 };
}

export function createOpensslCommand(): Command {
  return defineCommand('openssl', async (args, ctx): Promise<ExecResult> => {
    const [command, ...rest] = args;
    if (command === 'version') return { stdout: `${OPENSSL_VERSION}\n`, stderr: '', exitCode: 0 };
    if (command !== 'x509') return failure(command === undefined ? 'openssl: only `openssl x509` and `openssl version` are available in this workstation\n' : `Invalid command '${command}'; type "help" for a list.\n`);
    const stdin = decodeBytesToUtf8(ctx.stdin);
    return runOpensslX509(rest, {
      stdin,
      readFile: async (path) => {
        const full = path.startsWith('/') ? path : `${ctx.cwd}/${path}`;
        return (await ctx.fs.exists(full)) ? ctx.fs.readFile(full) : undefined;
      },
    });
  });
}
