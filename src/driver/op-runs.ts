import type { Op } from '../model/ops.js';
import type { BatchOutcome } from './types.js';

/**
 * A batch in runs of consecutive operations of one sort (`ip` lines and `bridge` lines, say),
 * each run by `exec` in order. The first run that stops ends the batch, with indexes counted
 * from the batch's start, exactly as one process running them all would report.
 */
export async function inRuns<S>(
  ops: readonly Op[],
  sortOf: (op: Op) => S,
  exec: (ops: readonly Op[], sort: S) => Promise<BatchOutcome>,
): Promise<BatchOutcome> {
  for (let from = 0; from < ops.length;) {
    const sort = sortOf(ops[from]);
    let to = from;
    while (to < ops.length && sortOf(ops[to]) === sort) to++;
    const o = await exec(ops.slice(from, to), sort);
    if (o.failures.length || o.ran < to - from)
      return { ran: from + o.ran, failures: o.failures.map((f) => ({ ...f, index: f.index + from })) };
    from = to;
  }
  return { ran: ops.length, failures: [] };
}
