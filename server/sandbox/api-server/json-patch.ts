import { deepClone, deepEqual, isJsonObject } from '../core/json-object.ts';

export class JsonPatchError extends Error {
  readonly code = 'JSON_PATCH';
}

type Container = Record<string, unknown> | unknown[];

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer: ${JSON.stringify(pointer)}`);
  return pointer.slice(1).split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(document: unknown, tokens: string[], path: string): { parent: Container; key: string } {
  let current: unknown = document;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isJsonObject(current)) current = current[token];
    else current = undefined;
    if (current === undefined) throw new JsonPatchError(`doc is missing path: "${path}": missing value`);
  }
  if (!Array.isArray(current) && !isJsonObject(current)) throw new JsonPatchError(`doc is missing path: "${path}": missing value`);
  return { parent: current, key: tokens[tokens.length - 1] ?? '' };
}

function arrayIndex(parent: unknown[], key: string, allowEnd: boolean, path: string): number {
  if (key === '-' && allowEnd) return parent.length;
  const index = Number(key);
  if (!/^\d+$/.test(key) || index > parent.length || (!allowEnd && index === parent.length)) {
    throw new JsonPatchError(`unable to access invalid index: ${key}: "${path}"`);
  }
  return index;
}

function read(document: unknown, path: string): unknown {
  const tokens = decodePointer(path);
  if (tokens.length === 0) return document;
  const { parent, key } = parentOf(document, tokens, path);
  const value = Array.isArray(parent) ? parent[arrayIndex(parent, key, false, path)] : parent[key];
  if (value === undefined) throw new JsonPatchError(`doc is missing path: "${path}": missing value`);
  return value;
}

function remove(document: unknown, path: string): unknown {
  const tokens = decodePointer(path);
  const { parent, key } = parentOf(document, tokens, path);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, false, path), 1)[0];
  if (!Object.hasOwn(parent, key)) throw new JsonPatchError(`doc is missing key: "${path}": missing value`);
  const value = parent[key];
  delete parent[key];
  return value;
}

function add(document: unknown, path: string, value: unknown, replace: boolean): unknown {
  const tokens = decodePointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(document, tokens, path);
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, key, !replace, path);
    parent.splice(index, replace ? 1 : 0, value);
  } else {
    if (replace && !Object.hasOwn(parent, key)) throw new JsonPatchError(`doc is missing key: "${path}": missing value`);
    parent[key] = value;
  }
  return document;
}

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test). */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new JsonPatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let document = deepClone(target);
  for (const raw of operations) {
    if (!isJsonObject(raw)) throw new JsonPatchError('invalid JSON patch operation');
    const op = raw.op;
    const path = String(raw.path ?? '');
    switch (op) {
      case 'add': document = add(document, path, deepClone(raw.value), false); break;
      case 'replace': document = add(document, path, deepClone(raw.value), true); break;
      case 'remove': remove(document, path); break;
      case 'move': {
        const value = remove(document, String(raw.from ?? ''));
        document = add(document, path, value, false);
        break;
      }
      case 'copy': document = add(document, path, deepClone(read(document, String(raw.from ?? ''))), false); break;
      case 'test':
        if (!deepEqual(read(document, path), raw.value)) throw new JsonPatchError(`testing value ${path} failed: test failed`);
        break;
      default:
        throw new JsonPatchError(`Unexpected kind: ${String(op)}`);
    }
  }
  return document;
}
