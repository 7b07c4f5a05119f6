import type { Op } from '../model/ops.js';

/** Forwarding entries are `bridge` commands, not `ip` ones: `ip -batch` cannot run them. */
export const isFdbOp = (op: Op): op is Extract<Op, { op: 'fdb-add' | 'fdb-del' }> =>
  op.op === 'fdb-add' || op.op === 'fdb-del';

/**
 * A line of `bridge -batch`: `fdb append MAC dev D dst A self permanent` (append: one MAC, the
 * all-zeros one, gets a remote per node), `fdb del MAC dev D dst A self`.
 */
export function bridgeArgv(op: Op): string[] {
  if (!isFdbOp(op)) throw new Error(`${op.op} is not a bridge command`);
  const f = op.fdb;
  const add = op.op === 'fdb-add';
  return ['fdb', add ? 'append' : 'del', f.mac, 'dev', f.dev, 'dst', f.dst, 'self', ...(add ? ['permanent'] : [])];
}
