import { nsObjectsIn, type NsObjects, type NsRef } from '../model/kernel.js';
import type { Op } from '../model/ops.js';
import { observedNamespaces } from './helpers.js';
import type { Item, KindDecl, KindView } from './types.js';
import { runtimeSysctl, staleOriginal } from './sysctl-runtime.js';

/**
 * Global switches whose write rewrites a per-interface value on every interface: writing
 * `net.ipv4.ip_forward` sets each `net.ipv4.conf.*.forwarding`. Their values before the first
 * change are recorded too, so restoring the switch does not lose them.
 */
export const SIDE_EFFECTS: Readonly<Partial<Record<string, { readonly family: 4 | 6; readonly leaf: string }>>> = {
  'net.ipv4.ip_forward': { family: 4, leaf: 'forwarding' },
  'net.ipv4.conf.all.forwarding': { family: 4, leaf: 'forwarding' },
  'net.ipv6.conf.all.forwarding': { family: 6, leaf: 'forwarding' },
};

const familyRe = (fx: { readonly family: 4 | 6; readonly leaf: string }): RegExp =>
  new RegExp(`^net\\.ipv${fx.family}\\.conf\\..+\\.${fx.leaf}$`);

const familyKeys = (key: string, sysctls: Readonly<Record<string, string>>): string[] => {
  const fx = SIDE_EFFECTS[key];
  if (!fx) return [];
  const re = familyRe(fx);
  return Object.keys(sysctls)
    .filter((k) => re.test(k) && k !== key)
    .sort();
};

/** The global switches whose write rewrites this key (`ip_forward` for `conf.eth0.forwarding`). */
const switchesOver = (key: string): string[] =>
  Object.entries(SIDE_EFFECTS)
    .filter(([sw, fx]) => sw !== key && fx && familyRe(fx).test(key))
    .map(([sw]) => sw);

/** The kernel prints some values with tabs (`32768\t60999`) and integers without leading zeros. */
export function sameValue(a: string, b: string): boolean {
  const norm = (s: string): string =>
    s
      .trim()
      .split(/\s+/)
      .map((w) => (/^-?\d+$/.test(w) ? String(BigInt(w)) : w))
      .join(' ');
  return norm(a) === norm(b);
}

/** `net.ipv4.conf.eth0.rp_filter`: a key of one interface (not `all` or `default`). */
export const perInterface = (key: string): boolean => {
  const m = key.match(/^net\.ipv[46]\.(conf|neigh)\.(.+)\.[^.]+$/);
  return !!m && m[2] !== 'all' && m[2] !== 'default';
};

const nsObjs = (v: KindView, ns: NsRef): NsObjects | undefined => nsObjectsIn(v.observed, ns);

/**
 * What a key will read once this plan has written the switches over it: a switch whose value
 * changes rewrites every interface's key (`ip_forward` 0 → 1 sets each `conf.*.forwarding` to 1),
 * so a key that reads as desired now may not after it, and must be written again.
 */
function afterSwitches(d: { readonly ns: NsRef; readonly obj: { readonly key: string } }, now: string, v: KindView) {
  let value = now;
  for (const key of switchesOver(d.obj.key)) {
    const want = v.desiredAt<'sysctl'>({ kind: 'sysctl', ns: d.ns, key })?.obj.value;
    const was = nsObjs(v, d.ns)?.sysctls[key];
    if (want !== undefined && was !== undefined && !sameValue(want, was)) value = want;
  }
  return value;
}

/**
 * Sysctls. Owned means changed by ctnet: the inventory keeps the value found before, and the
 * value goes back once nothing asks for it. A key the kernel lacks is rejected before any change.
 */
export const sysctlKind: KindDecl<'sysctl'> = {
  kind: 'sysctl',
  rank: 6,
  key: (ns, obj) => ({ kind: 'sysctl', ns, key: obj.key }),
  // a container's own, in a runtime's namespace that outlives it, goes back with the container
  keepOnPartialDestroy: (item) => item.ns === null,
  observed: (v) =>
    observedNamespaces(v.observed, v.within).flatMap(({ ns, objs }) =>
      Object.entries(objs.sysctls)
        .filter(([key]) => v.desiredAt({ kind: 'sysctl', ns, key }) || v.record({ kind: 'sysctl', ns, key }))
        .map(([key, value]): Item<'sysctl'> => ({ key: { kind: 'sysctl', ns, key }, ns, obj: { key, value } })),
    ),
  markedOwner: () => undefined,
  parents: (d) => (d.ns === null ? [] : [{ kind: 'netns', ns: null, name: d.ns }]),
  observedParents: (item) => (item.ns === null ? [] : [{ kind: 'netns', ns: null, name: item.ns }]),
  // a switch written after this key would set it back to the switch's value: the switch goes first
  needs: (d) => switchesOver(d.obj.key).map((key) => ({ kind: 'sysctl' as const, ns: d.ns, key })),
  foreign: () => undefined,
  blockedBy: (d, v) => {
    const objs = nsObjs(v, d.ns);
    if (objs && d.obj.key in objs.sysctls) return undefined;
    // a namespace not made yet has the host's keys, except those of interfaces it will have
    if (d.ns !== null && !objs && (perInterface(d.obj.key) || d.obj.key in v.observed.host.sysctls)) return undefined;
    return v.observed.allSysctls || objs || d.ns !== null
      ? `the kernel has no sysctl "${d.obj.key}"`
      : `sysctl "${d.obj.key}" was not observed`;
  },
  implicit: runtimeSysctl,
  compare: (d, o, v) => {
    const from = afterSwitches(d, o.value, v);
    return sameValue(d.obj.value, from) ? [] : [{ field: 'value', from, to: d.obj.value }];
  },
  // only in a namespace this plan creates: elsewhere a missing key is rejected (blockedBy)
  create: (d) => [{ op: 'sysctl-set', ns: d.ns, key: d.obj.key, value: d.obj.value }],
  update: (d) => [{ op: 'sysctl-set', ns: d.ns, key: d.obj.key, value: d.obj.value }],
  remove: (item, own, v) => {
    const shared = item.ns === null ? v.sharedSysctl(item.obj.key) : undefined;
    // another live instance on this host still needs it: it stays, and this instance lets go
    if (shared?.heldBy.length) return [];
    const found = shared?.original;
    const rec = found !== undefined ? { ...own, original: found, sideEffects: shared?.sideEffects } : own;
    if (rec?.original === undefined) return [];
    const ops: Op[] = [];
    const written = !sameValue(item.obj.value, rec.original);
    if (written) ops.push({ op: 'sysctl-set', ns: item.ns, key: item.obj.key, value: rec.original });
    const now = nsObjs(v, item.ns)?.sysctls ?? {};
    for (const [k, was] of Object.entries(rec.sideEffects ?? {})) {
      // writing the switch resets every interface to the switch's value: what it is now does not count
      const after = written ? rec.original : now[k];
      if (k in now && !sameValue(after, was)) ops.push({ op: 'sysctl-set', ns: item.ns, key: k, value: was });
    }
    return ops;
  },
  record: (d, o, prev, v) => {
    if (prev?.original !== undefined && !staleOriginal(d, v)) return { ...prev, owner: d.owner };
    if (!o || sameValue(o.value, d.obj.value)) return { owner: d.owner };
    const now = nsObjs(v, d.ns)?.sysctls ?? {};
    const fx = familyKeys(d.obj.key, now);
    return {
      owner: d.owner,
      original: o.value,
      ...(fx.length ? { sideEffects: Object.fromEntries(fx.map((k) => [k, now[k]])) } : {}),
    };
  },
  describe: (s) => s.value,
  reasons: {
    create: (d) => `${d.owner} needs ${d.obj.key}=${d.obj.value}`,
    remove: (item) => `no longer needed: restore the value found before ctnet changed ${item.obj.key}`,
  },
};
