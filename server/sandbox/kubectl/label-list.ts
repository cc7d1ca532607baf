// `--labels a=b,c=d` and `--selector a=b` as kubectl's generators read them.
import { KubectlError } from './kubectl-error.ts';

/** `a=b,c=d` → labels, as kubectl's ParseLabels reads --labels. */
export function parseLabelList(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.indexOf('=', eq + 1) !== -1) throw new KubectlError('LABELS_INVALID', `error: invalid label spec: ${part}`);
    labels[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return labels;
}
