import type { Driver } from '../driver/types.js';
import type { CtnetError } from '../model/errors.js';
import type { Inventory } from '../model/inventory.js';
import { nsObjectsIn, type NsRef, type ObservedState } from '../model/kernel.js';
import { keyId } from '../model/keys.js';
import { targetId, targetOf, type Op } from '../model/ops.js';
import { sameValue } from '../kinds/sysctl.js';

interface Value {
  readonly ns: NsRef;
  readonly key: string;
  readonly value: string;
}

/** Every sysctl a checkpoint read that no record names: no object of the revert plan puts it back. */
function unrecorded(cp: ObservedState, records: readonly Inventory[]): Value[] {
  const recorded = (ns: NsRef, key: string): boolean =>
    records.some((inv) => keyId({ kind: 'sysctl', ns, key }) in inv.objects);
  const all: [NsRef, Readonly<Record<string, string>>][] = [
    [null, cp.host.sysctls],
    ...Object.entries(cp.namespaces).map(([ns, o]): [NsRef, Readonly<Record<string, string>>] => [ns, o.sysctls]),
  ];
  return all.flatMap(([ns, sysctls]) =>
    Object.entries(sysctls).flatMap(([key, value]) => (recorded(ns, key) ? [] : [{ ns, key, value }])),
  );
}

/**
 * After a revert plan ran: the sysctls the checkpoint read that a run changes for another
 * object's sake (promote_secondaries, set to delete a primary address: promote-keys.ts) and no
 * object records, written back where they differ now. Keys of links or namespaces that are gone
 * are not read, and so not written.
 */
export async function putBackSysctls(
  driver: Driver,
  cp: ObservedState,
  records: readonly Inventory[],
): Promise<{ commands: number; errors: CtnetError[] }> {
  const values = unrecorded(cp, records);
  if (!values.length) return { commands: 0, errors: [] };
  const nsSysctls: Record<string, string[]> = {};
  for (const v of values) if (v.ns !== null) (nsSysctls[v.ns] ??= []).push(v.key);
  const hostKeys = values.filter((v) => v.ns === null).map((v) => v.key);
  const now = await driver.observe({ namespaces: Object.keys(nsSysctls), sysctls: hostKeys, nsSysctls });
  const differ = values.filter((v) => {
    const is = nsObjectsIn(now, v.ns)?.sysctls[v.key];
    return is !== undefined && !sameValue(is, v.value);
  });
  const batches = new Map<string, { target: ReturnType<typeof targetOf>; ops: Op[] }>();
  for (const v of differ) {
    const op: Op = { op: 'sysctl-set', ns: v.ns, key: v.key, value: v.value };
    const t = targetOf(op);
    const b = batches.get(targetId(t)) ?? { target: t, ops: [] };
    batches.set(targetId(t), { ...b, ops: [...b.ops, op] });
  }
  const outcomes = await driver.run([...batches.values()]);
  return {
    commands: outcomes.reduce((n, o) => n + o.ran, 0),
    errors: outcomes.flatMap((o) =>
      o.failures.map((f) => ({ code: 'apply' as const, message: `${f.command}: ${f.message}` })),
    ),
  };
}
