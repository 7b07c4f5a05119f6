import type { DesiredState } from '../model/desired.js';
import { recordsOfKind, type Inventory } from '../model/inventory.js';
import type { NsRef } from '../model/kernel.js';
import { keyId } from '../model/keys.js';

const RECORDED_V4 = /^address (?:host|netns:(\S+)) (\S+) ([0-9.]+\/\d+)$/;

/**
 * `net.ipv4.conf.<dev>.promote_secondaries` of each link holding a recorded IPv4 address the
 * manifests no longer ask for: deleting it, when it is the primary of its subnet and another
 * address of that subnet stays, sets that key (kinds/address.ts), and no object records it. An
 * `--atomic` run reads these into its checkpoint, so a rollback can put them back as they were.
 */
export function promoteKeys(desired: DesiredState, inventory: Inventory): { ns: NsRef; key: string }[] {
  const wanted = new Set(
    desired.objects.flatMap((d) =>
      d.kind === 'address' ? [keyId({ kind: 'address', ns: d.ns, dev: d.obj.dev, cidr: d.obj.cidr })] : [],
    ),
  );
  const out = new Map<string, { ns: NsRef; key: string }>();
  for (const [id] of recordsOfKind(inventory, 'address')) {
    const m = RECORDED_V4.exec(id);
    if (!m || wanted.has(id)) continue;
    const ns: NsRef = id.startsWith('address host ') ? null : m[1];
    const key = `net.ipv4.conf.${m[2]}.promote_secondaries`;
    out.set(`${String(ns)} ${key}`, { ns, key });
  }
  return [...out.values()];
}
