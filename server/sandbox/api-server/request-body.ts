import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { StatusError } from '../core/status-error.ts';
import { decodeProtobufObject, isProtobufBody, ProtobufError } from './protobuf-body.ts';

/** Reads the whole body, refusing more than `limit` bytes with 413 as the real server does. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      reject(StatusError.tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(StatusError.tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
}

/** Deepest `{`/`[` nesting outside strings; stops counting once past `limit`. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 92) i++;
      else if (char === 34) inString = false;
      continue;
    }
    if (char === 34) inString = true;
    else if (char === 123 || char === 91) {
      depth++;
      if (depth > limit) return true;
    } else if (char === 125 || char === 93) depth--;
  }
  return false;
}

/** V8's JSON.parse messages in the words of Go's encoding/json, which kubectl users see quoted. */
function goJsonError(message: string, text: string): string {
  const position = /at position (\d+)/.exec(message);
  if (message.startsWith('Unexpected end of JSON input') || (position !== null && Number(position[1]) >= text.trimEnd().length)) return 'unexpected end of JSON input';
  if (message.startsWith('Expected double-quoted property name') && position !== null) return `invalid character '${text.charAt(Number(position[1]))}' looking for beginning of object key string`;
  const token = /^Unexpected token '?(.)'?/.exec(message) ?? /^Unexpected (?:non-whitespace )?character.*?'(.)'/.exec(message);
  if (token !== null) return `invalid character '${token[1] ?? ''}' looking for beginning of value`;
  return message;
}

/** Decodes a request body by its content type: JSON, YAML or Kubernetes protobuf. */
export function decodeBody(body: Buffer, contentType: string | undefined, maxDepth: number): unknown {
  if (body.length === 0) return undefined;
  const media = (contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
  if (media === 'application/vnd.kubernetes.protobuf' || isProtobufBody(body)) {
    try {
      return decodeProtobufObject(body);
    } catch (error) {
      if (error instanceof ProtobufError) {
        throw StatusError.unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (${error.message})`);
      }
      throw error;
    }
  }
  const text = body.toString('utf8');
  if (jsonDepthExceeds(text, maxDepth)) throw StatusError.badRequest(`json: exceeded max depth of ${maxDepth}`);
  if (media === 'application/yaml' || media === 'application/apply-patch+yaml') {
    try {
      return parseYaml(text, { maxAliasCount: 100 });
    } catch (error) {
      throw StatusError.badRequest(`error converting YAML to JSON: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw StatusError.badRequest(`couldn't get version/kind; json parse error: ${goJsonError((error as Error).message, text)}`);
  }
}
