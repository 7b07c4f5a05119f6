import type { ExecResult } from '../apply/execute.js';
import type { Inventory } from '../model/inventory.js';
import type { OpName } from '../model/ops.js';
import type { Action } from '../plan/types.js';

/** Operations that make their action's object: an action that starts with one made nothing until it ran. */
const MAKES: ReadonlySet<OpName> = new Set<OpName>(['netns-add', 'link-add', 'addr-add', 'route-add', 'neigh-add']);

/**
 * What a run that failed may have made: its intent (recorded before it ran), less the records of
 * new objects whose making never started: their action was refused at its first operation, or not
 * run because something it needs failed. An object under such a key now is someone else's, made
 * between plan and apply (`link add` answered "File exists"): a rollback or the next run must
 * not take it for ctnet's. An object that comes with another (a veth's other end, a new
 * namespace's lo) or was owned before the run keeps its record.
 */
export function claimed(intended: Inventory, before: Inventory, res: ExecResult): Inventory {
  const neverStarted = (a: Action): boolean => !(a.id in before.objects) && a.ops.length > 0 && MAKES.has(a.ops[0].op);
  const unmade = [...res.failed.filter((f) => f.ran === 0).map((f) => f.action), ...res.skipped].filter(neverStarted);
  if (!unmade.length) return intended;
  const gone = new Set(unmade.map((a) => a.id));
  return { ...intended, objects: Object.fromEntries(Object.entries(intended.objects).filter(([id]) => !gone.has(id))) };
}
