import type { CtnetError } from '../model/errors.js';
import type { ExecResult } from '../apply/execute.js';

/** An execution's failures as errors: each refused command with the kernel's words, then what was not run. */
export function applyErrors(res: ExecResult): CtnetError[] {
  const errors: CtnetError[] = res.failed.map((f) => ({
    code: 'apply',
    message: `${f.failure.command}: ${f.failure.message}`,
  }));
  if (res.skipped.length) {
    const names = res.skipped.map(
      (a) => `${a.action} ${a.object}${a.netns && a.type !== 'netns' ? ` (netns ${a.netns})` : ''}`,
    );
    errors.push({ code: 'apply', message: `not run, because a change they depend on failed: ${names.join(', ')}` });
  }
  return errors;
}
