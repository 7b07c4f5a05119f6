import { ctnetTable, partsOfTable } from '../model/ctnet-table.js';
import { NFT_OWNER, canonicalTable, nftKernelName, nftLogicalName, type NftTableObj } from '../model/nft.js';
import { ruleText } from '../model/nft-text.js';
import { observedNamespaces } from './helpers.js';
import type { Change, Item, KindDecl } from './types.js';

const ISOLATION = 'routed interfaces need isolation: their packets may carry only their own source addresses';
const MASQUERADE = "NAT networks need masquerading: their IPv4 traffic leaves with the outgoing interface's address";

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** What differs, set by set and chain by chain, in words a reviewer reads. */
function diff(d: NftTableObj, o: NftTableObj): Change[] {
  const out: Change[] = [];
  const want = canonicalTable(d);
  const have = canonicalTable(o);
  for (const name of [...new Set([...want.sets, ...have.sets].map((s) => s.name))].sort()) {
    const w = want.sets.find((s) => s.name === name);
    const h = have.sets.find((s) => s.name === name);
    if (same(w, h)) continue;
    const n = (s: typeof w): string | undefined => (s ? `${s.elements.length} elements` : undefined);
    out.push({ field: `set ${name}`, from: h && w && n(h) === n(w) ? `${n(h)} (others)` : n(h), to: n(w) });
  }
  for (const name of [...new Set([...want.chains, ...have.chains].map((c) => c.name))].sort()) {
    const w = want.chains.find((c) => c.name === name);
    const h = have.chains.find((c) => c.name === name);
    if (same(w, h)) continue;
    const n = (c: typeof w): string | undefined => (c ? `${c.rules.length} rules` : undefined);
    out.push({ field: `chain ${name}`, from: h && w && n(h) === n(w) ? `${n(h)} (edited)` : n(h), to: n(w) });
  }
  if (have.extras?.length) out.push({ field: 'other objects', from: String(have.extras.length), to: '0' });
  return out;
}

/**
 * nftables tables ctnet owns: one per namespace that needs rules (today the host's, for the
 * isolation of routed interfaces and the NAT of bridge networks: model/ctnet-table.ts). The
 * kernel's name `ctnet_<instance>` is the marker: only this instance's table is ever observed as
 * an item, so other tools' tables and other instances' are never read into a plan, changed or
 * deleted. Any difference replaces the table whole, in one transaction (the driver's `nft -f`), so
 * there is no moment without rules.
 */
export const nftableKind: KindDecl<'nftable'> = {
  kind: 'nftable',
  rank: 7,
  key: (ns, obj) => ({ kind: 'nftable', ns, family: obj.family, name: obj.name }),
  observed: (v) =>
    observedNamespaces(v.observed, v.within).flatMap(({ ns, objs }) =>
      (objs.nftables ?? []).flatMap((t): Item<'nftable'>[] => {
        const name = t.family === 'inet' ? nftLogicalName(t.name, v.instance) : undefined;
        return name
          ? [{ key: { kind: 'nftable', ns, family: 'inet', name }, ns, obj: { ...t, family: 'inet', name } }]
          : [];
      }),
    ),
  markedOwner: () => NFT_OWNER,
  parents: (d) => (d.ns !== null ? [{ kind: 'netns', ns: null, name: d.ns }] : []),
  observedParents: (item) => (item.ns !== null ? [{ kind: 'netns', ns: null, name: item.ns }] : []),
  foreign: () => undefined,
  compare: (d, o) => diff(d.obj, o),
  create: (d, v) => [{ op: 'nft-table', ns: d.ns, name: nftKernelName(d.obj.name, v.instance), table: d.obj }],
  update: (d, _o, _changes, v) => [
    { op: 'nft-table', ns: d.ns, name: nftKernelName(d.obj.name, v.instance), table: d.obj },
  ],
  remove: (item, _rec, v) => [
    { op: 'nft-delete', ns: item.ns, family: item.obj.family, name: nftKernelName(item.obj.name, v.instance) },
  ],
  // a partial destroy keeps the table for the interfaces and NAT networks that stay: a routed
  // port goes with its host end, a network's masquerade rules with its bridge
  trim: (item, v) => {
    const gone = (name: string): boolean => v.isGone({ kind: 'link', ns: item.ns, name });
    const parts = partsOfTable(item.obj);
    const rest = ctnetTable({
      routed: parts.routed.filter((p) => !gone(p.dev)),
      nat: parts.nat.filter((n) => !gone(n.bridge)),
    });
    if (!rest) return null;
    return diff(rest, item.obj).length ? rest : undefined;
  },
  describe: (t) => ({
    family: t.family,
    sets: Object.fromEntries(canonicalTable(t).sets.map((s) => [s.name, s.elements.map((e) => e.join(' . '))])),
    chains: Object.fromEntries(canonicalTable(t).chains.map((c) => [c.name, c.rules.map(ruleText)])),
  }),
  reasons: {
    create: (d) => {
      const { routed, nat } = partsOfTable(d.obj);
      return [routed.length ? ISOLATION : '', nat.length ? MASQUERADE : ''].filter(Boolean).join('; ');
    },
    remove: (item) =>
      `no routed interface is left to isolate${partsOfTable(item.obj).nat.length ? ' and no NAT network to masquerade' : ''}`,
  },
};
