// istioctl's `(y/N)` question (istioctl/pkg/util/confirm): the question and a space on stdout,
// then answers are read line by line from stdin; y/yes accepts, n/no or end of input refuses,
// anything else asks again.
import type { IstioctlContext } from './istioctl-context.ts';

export function confirm(context: IstioctlContext, question: string): boolean {
  const answers = context.io.stdin.split('\n');
  // A trailing newline leaves an empty last entry that is not an answer.
  if (answers[answers.length - 1] === '') answers.pop();
  for (const answer of answers) {
    context.out(`${question} `);
    const word = answer.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
    if (word === 'Y' || word === 'YES') return true;
    if (word === 'N' || word === 'NO') return false;
  }
  if (answers.length === 0) context.out(`${question} `);
  return false;
}
