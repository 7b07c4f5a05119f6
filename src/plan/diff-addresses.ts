import { addressKey, isOwnedAlias } from '../model/kernel.js';
import { addAddress, deleteAddress } from './commands.js';
import { linkRef, type PlanContext } from './context.js';

const ipOf = (cidr: string): string => cidr.split('/')[0];
/** Addresses several host ends share on purpose (the routed gateway), and kernel link-locals. */
const isLinkLocal = (cidr: string): boolean => cidr.startsWith('169.254.') || cidr.toLowerCase().startsWith('fe80:');

/**
 * Addresses on owned links: missing ones added, foreign ones removed (the link is owned, so its
 * address list is too), kernel-made IPv6 link-locals left alone.
 */
export function diffAddresses(ctx: PlanContext): void {
  for (const ns of ctx.nsRefs()) {
    if (ns !== null && ctx.deletedNs.has(ns)) continue;
    const obs = ctx.observedNs(ns);
    const links = new Map(obs.links.map((l) => [l.name, l]));
    const have = new Set(obs.addresses.map(addressKey));
    const want = ctx.desiredNs(ns).addresses;
    for (const d of want) {
      const fresh = ctx.freshLinks.has(linkRef(ns, d.obj.dev));
      if (!fresh && have.has(addressKey(d.obj))) continue;
      const foreign = obs.addresses.find((a) => ipOf(a.cidr) === ipOf(d.obj.cidr) && !isOwnedAlias(links.get(a.dev)?.alias));
      if (foreign && !isLinkLocal(d.obj.cidr) && !ctx.options.adopt) {
        ctx.conflict({ owner: d.owner, message: `address ${ipOf(d.obj.cidr)} is already on interface "${foreign.dev}", which ctnet does not own` });
        continue;
      }
      ctx.add({ action: 'create', type: 'address', netns: ns, object: addressKey(d.obj), owner: d.owner, after: d.obj,
        reason: fresh ? `on new link ${d.obj.dev}` : 'missing', disruptive: false, commands: [addAddress(ns, d.obj)] });
    }
    const wantKeys = new Set(want.map((d) => addressKey(d.obj)));
    for (const a of obs.addresses) {
      if (wantKeys.has(addressKey(a)) || !isOwnedAlias(links.get(a.dev)?.alias)) continue;
      const owner = ctx.linkOwner(ns, a.dev);
      if (!ctx.inScope(owner)) continue;
      if (a.cidr.toLowerCase().startsWith('fe80:') || ctx.deletedLinks.has(linkRef(ns, a.dev)) || ctx.goesWithNs(ns, a.dev) || ctx.freshLinks.has(linkRef(ns, a.dev))) continue;
      ctx.add({ action: 'delete', type: 'address', netns: ns, object: addressKey(a), owner, before: a,
        reason: `not in the manifests for ${owner}`, disruptive: true, commands: [deleteAddress(ns, a)] });
    }
  }
}
