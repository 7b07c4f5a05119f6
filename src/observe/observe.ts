import type { DesiredState } from '../model/desired.js';
import {
  recordedNetns,
  recordedSysctls,
  recordsOfKind,
  type Inventory,
  type ObjectRecord,
} from '../model/inventory.js';
import type { ObservedState } from '../model/kernel.js';
import { SIDE_EFFECTS, perInterface } from '../kinds/sysctl.js';
import type { Driver, ObserveRequest } from '../driver/types.js';
import { deletedWhole } from './deleted-whole.js';
import { promoteKeys } from './promote-keys.js';
import { lookup } from '../model/lookup.js';

/** The sysctls ctnet sets for its networks (desired/routed.ts, nat.ts). */
const OWN_SYSCTLS = new Set(['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding', 'net.ipv6.conf.all.proxy_ndp']);

export interface ObserveScope {
  /** The inventory was lost: look into every namespace for this instance's marks. */
  readonly lost?: boolean;
  /** Snapshots: every host `net.*` sysctl, so the snapshot serves any later manifests. */
  readonly allSysctls?: boolean;
  /**
   * Observing for a plan (plan, apply, destroy, watch): the namespaces it will delete whole are
   * listed but not read (deleted-whole.ts); `scope` is `destroy PATH`'s, as in PlanOptions.
   * Status and snapshots read everything.
   */
  readonly forPlan?: { readonly scope?: ReadonlySet<string> };
  /** `--atomic`: also what the run may change that no object records (promote-keys.ts), for its checkpoint. */
  readonly checkpoint?: boolean;
}

/** What to look at: the host, every namespace owned or wanted, and the sysctls that matter. */
export async function observeFor(
  driver: Driver,
  desired: DesiredState,
  inventory: Inventory,
  scope: ObserveScope = {},
): Promise<ObservedState> {
  return driver.observe(await observeRequestFor(driver, desired, inventory, scope));
}

/** The request `observeFor` sends to the driver. */
export async function observeRequestFor(
  driver: Driver,
  desired: DesiredState,
  inventory: Inventory,
  scope: ObserveScope = {},
): Promise<ObserveRequest> {
  const whole = scope.forPlan ? deletedWhole(desired, inventory, scope.forPlan.scope) : new Set<string>();
  const known = new Set<string>(Object.keys(recordedNetns(inventory)));
  for (const d of desired.objects) if (d.kind === 'netns') known.add(d.obj.name);
  const wanted = new Set([...known].filter((n) => !whole.has(n)));
  const scanOnly: string[] = [];
  if (scope.lost)
    for (const n of await driver.listNetns())
      if (n !== driver.hostNetns && !known.has(n)) {
        wanted.add(n);
        scanOnly.push(n);
      }
  const recorded = recordedSysctls(inventory);
  const keys = new Set(Object.keys(recorded));
  const nsKeys: Record<string, Set<string>> = {};
  const inNs = (ns: string, key: string): void => void (nsKeys[ns] ??= new Set()).add(key);
  for (const d of desired.objects) {
    if (d.kind !== 'sysctl') continue;
    if (d.ns === null) keys.add(d.obj.key);
    else {
      inNs(d.ns, d.obj.key);
      // a namespace not made yet is checked against the host's keys
      if (!perInterface(d.obj.key)) keys.add(d.obj.key);
    }
  }
  for (const [id] of recordsOfKind(inventory, 'sysctl')) {
    const m = id.match(/^sysctl netns:(\S+) (.+)$/);
    if (m && !whole.has(m[1])) inNs(m[1], m[2]);
  }
  for (const p of scope.checkpoint ? promoteKeys(desired, inventory) : []) {
    if (p.ns === null) keys.add(p.key);
    else if (!whole.has(p.ns)) inNs(p.ns, p.key);
  }
  const unique = sideEffectFamilies(desired, recorded, keys);
  const nsSysctls = Object.fromEntries(Object.entries(nsKeys).map(([ns, k]) => [ns, [...k].sort()]));
  const attached = desired.objects.flatMap((d) => (d.kind === 'netns' && d.obj.path ? [d.obj] : []));
  const netnsPaths = attached.map((a) => a.path!);
  // a runtime's namespace not named yet (or named for an older one) shows its sysctls through its path
  const pathSysctls = Object.fromEntries(
    attached.flatMap((a) => {
      const asked = lookup(nsSysctls, a.name);
      return asked ? [[a.path!, asked] as const] : [];
    }),
  );
  // a loopback network's interface is a dummy where the kernel has one
  const capabilities = !!scope.allSysctls || desired.objects.some((d) => d.kind === 'link' && d.obj.hostLocal);
  // a key of ctnet's own is kept per namespace on every kernel: only others need the probe
  const netnsSysctls = desired.objects.some((d) => d.kind === 'sysctl' && !OWN_SYSCTLS.has(d.obj.key));
  return {
    namespaces: [...wanted].sort(),
    sysctls: [...keys].sort(),
    nsSysctls,
    sysctlFamilies: unique,
    allSysctls: scope.allSysctls,
    netnsPaths,
    pathSysctls,
    scanOnly,
    capabilities,
    netnsSysctls,
  };
}

/**
 * Whole families (`net.ipv4.conf.*.forwarding`: one file per interface, over 1000 with 1000
 * containers) only where a switch may be changed for the first time, when the values it rewrites
 * are recorded; a switch changed before restores from its record, so only the recorded keys are read.
 */
function sideEffectFamilies(
  desired: DesiredState,
  recorded: Record<string, ObjectRecord>,
  keys: Set<string>,
): { family: 4 | 6; leaf: string }[] {
  for (const r of Object.values(recorded)) for (const k of Object.keys(r.sideEffects ?? {})) keys.add(k);
  const first = desired.objects.flatMap((d) => {
    if (d.kind !== 'sysctl' || d.ns !== null) return [];
    const fx = SIDE_EFFECTS[d.obj.key];
    return fx && lookup(recorded, d.obj.key)?.original === undefined ? [fx] : [];
  });
  return [...new Map(first.map((f) => [`${f.family}${f.leaf}`, f])).values()];
}
