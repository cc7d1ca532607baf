// `kubectl api-resources`: the preferred version of every group, sorted by group then name.
import { groupVersion, type ApiResource } from './discovery.ts';
import { flagBool, flagString, parseFlags } from './flag-parser.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { formatColumns } from './tab-writer.ts';

export async function runApiResources(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'output', short: 'o', type: 'string' },
    { name: 'namespaced', type: 'bool' },
    { name: 'api-group', type: 'string' },
    { name: 'verbs', type: 'strings' },
    { name: 'no-headers', type: 'bool' },
    { name: 'sort-by', type: 'string' },
    { name: 'categories', type: 'strings' },
    { name: 'cached', type: 'bool' },
  ]);
  const output = flagString(flags, 'output') ?? '';
  if (output !== '' && output !== 'wide' && output !== 'name') {
    throw new KubectlError('OUTPUT_FORMAT_UNKNOWN', `error: --output ${output} is not available`);
  }
  const discovery = await context.discovery();
  const group = flagString(flags, 'api-group');
  const namespacedFlag = flags.values.get('namespaced');
  const verbs = (flags.values.get('verbs') as string[] | undefined ?? []).flatMap((value) => value.split(','));
  const categories = (flags.values.get('categories') as string[] | undefined ?? []).flatMap((value) => value.split(','));
  const sortBy = flagString(flags, 'sort-by') ?? '';
  const key = (resource: ApiResource): string => (sortBy === 'name' ? resource.resource : sortBy === 'kind' ? resource.kind : resource.group);
  const resources = discovery.resources
    .filter((resource) => resource.preferred)
    .filter((resource) => group === undefined || resource.group === group)
    .filter((resource) => typeof namespacedFlag !== 'boolean' || resource.namespaced === namespacedFlag)
    .filter((resource) => verbs.every((verb) => resource.verbs.includes(verb)))
    .filter((resource) => categories.every((category) => resource.categories.includes(category)))
    .sort((a, b) => {
      const left = key(a);
      const right = key(b);
      if (left !== right) return left < right ? -1 : 1;
      return a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0;
    });
  if (output === 'name') {
    context.out(resources.map((resource) => `${resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`}\n`).join(''));
    return 0;
  }
  const wide = output === 'wide';
  const header = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'];
  if (wide) header.push('VERBS', 'CATEGORIES');
  const rows: string[][] = flagBool(flags, 'no-headers') ? [] : [header];
  for (const resource of resources) {
    const row = [resource.resource, resource.shortNames.join(','), groupVersion(resource), String(resource.namespaced), resource.kind];
    if (wide) row.push([...resource.verbs].sort().join(','), resource.categories.join(','));
    rows.push(row);
  }
  context.out(formatColumns(rows));
  return 0;
}
