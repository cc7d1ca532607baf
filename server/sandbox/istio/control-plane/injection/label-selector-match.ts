// metav1.LabelSelector evaluation for the webhook namespace/object selectors.
import { asArray, asObject, asString } from '../../../core/json-object.ts';

export function labelSelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const spec = asObject(selector);
  for (const [key, value] of Object.entries(asObject(spec.matchLabels))) if (labels[key] !== value) return false;
  for (const raw of asArray(spec.matchExpressions)) {
    const expression = asObject(raw);
    const key = asString(expression.key) ?? '';
    const values = asArray(expression.values).map(String);
    const has = Object.hasOwn(labels, key);
    switch (expression.operator) {
      case 'In':
        if (!has || !values.includes(labels[key] as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key] as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
