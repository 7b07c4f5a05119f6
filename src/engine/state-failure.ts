import { CtnetFailure, type CtnetError } from '../model/errors.js';

/**
 * A run the state dir refused (a newer state file, a lock or state file that cannot be written) is
 * a failure before any change, reported like any other; anything else is a bug and is rethrown.
 */
export function stateFailure(
  e: unknown,
  hostNetns: string | null,
): {
  outcome: 'failed';
  errors: readonly CtnetError[];
  notices: readonly string[];
  commands: number;
  hostNetns: string | null;
} {
  if (!(e instanceof CtnetFailure)) throw e;
  return { outcome: 'failed', errors: e.errors, notices: [], commands: 0, hostNetns };
}
