import type { ObjectKey } from '../model/keys.js';
import type { DeviceObj, NsRef } from '../model/kernel.js';
import type { LinkSettings, Op } from '../model/ops.js';
import { changed, observedNamespaces } from './helpers.js';
import type { Change, Item, KindDecl } from './types.js';

const netnsKey = (name: string): ObjectKey => ({ kind: 'netns', ns: null, name });

/**
 * A host NIC passed through to a container: moved in under the interface's name, given its
 * addresses and routes there, and moved back under its original name, MAC, MTU and admin state
 * (moving it drops what ctnet gave it). Owned by record, which keeps those originals. It never
 * vanishes with its namespace: the namespace's deletion waits until it is moved out.
 */
export const deviceKind: KindDecl<'device'> = {
  kind: 'device',
  rank: 2,
  key: (ns, obj) => ({ kind: 'device', ns, name: obj.name }),
  observed: (v) =>
    observedNamespaces(v.observed, v.within).flatMap(({ ns, objs }) => {
      if (ns === null) return [];
      return objs.links.flatMap((l): Item<'device'>[] => {
        const key = { kind: 'device' as const, ns, name: l.name };
        const want = v.desiredAt(key);
        const rec = v.record(key);
        if (!want && !rec) return [];
        return [
          {
            key,
            ns,
            obj: { name: l.name, host: rec?.device?.name ?? want!.obj.host, mtu: l.mtu, mac: l.mac, up: l.up },
          },
        ];
      });
    }),
  markedOwner: () => undefined,
  parents: (d) => (d.ns === null ? [] : [netnsKey(d.ns)]),
  observedParents: () => [],
  foreign: (d) => ({
    message: `netns ${d.ns} already has an interface "${d.obj.name}" that ctnet did not move there`,
    adoptable: true,
  }),
  blockedBy: (d, v) => {
    const l = v.observedLink(null, d.obj.host);
    if (!l) return `device "${d.obj.host}" does not exist on the host`;
    if (v.isProtected(d.obj.host)) return `device "${d.obj.host}" is protected and cannot be moved into a container`;
    if (l.kind !== 'device' && l.kind !== 'veth' && l.kind !== 'other')
      return `"${d.obj.host}" is a ${l.kind}, not a network device`;
    return v.linkOwner(null, d.obj.host) ? `"${d.obj.host}" is one of ctnet's own links, not a device` : undefined;
  },
  compare: (d, o) => {
    const out: Change[] = [];
    changed(out, 'mtu', d.obj.mtu, o.mtu);
    changed(out, 'mac', d.obj.mac, o.mac);
    changed(out, 'up', d.obj.up, o.up);
    return out;
  },
  create: (d) => [
    { op: 'link-move', ns: null, name: d.obj.host, to: d.ns, newName: d.obj.name },
    { op: 'link-set', ns: d.ns, name: d.obj.name, set: settings(d.obj) },
  ],
  update: (d, _o, changes) => [
    {
      op: 'link-set',
      ns: d.ns,
      name: d.obj.name,
      set: Object.fromEntries(changes.map((c) => [c.field, c.to] as const)),
    },
  ],
  remove: (item, rec) => {
    const was = rec?.device ?? { name: item.obj.host };
    const back: NsRef = null;
    const restore: LinkSettings = {
      ...(was.mtu !== undefined && was.mtu !== item.obj.mtu ? { mtu: was.mtu } : {}),
      ...(was.mac !== undefined && was.mac !== item.obj.mac ? { mac: was.mac } : {}),
      // a moved link arrives down
      ...(was.up ? { up: true } : {}),
    };
    const ops: Op[] = [{ op: 'link-move', ns: item.ns, name: item.obj.name, to: back, newName: was.name }];
    if (Object.keys(restore).length) ops.push({ op: 'link-set', ns: back, name: was.name, set: restore });
    return ops;
  },
  record: (d, _o, prev, v) => {
    if (prev?.device) return { ...prev, owner: d.owner };
    const l = v.observedLink(null, d.obj.host);
    return { owner: d.owner, device: { name: d.obj.host, mac: l?.mac, mtu: l?.mtu, up: l?.up } };
  },
  describe: (o: DeviceObj) => ({ name: o.name, host: o.host, mtu: o.mtu, mac: o.mac, up: o.up }),
  reasons: {
    create: (d) => `${d.owner} takes the host's ${d.obj.host} as ${d.obj.name}`,
    remove: (item, owner, v) =>
      `${owner} no longer takes it: back to the host as ${v.record(item.key)?.device?.name ?? item.obj.host}`,
  },
};

function settings(o: DeviceObj): LinkSettings {
  return {
    ...(o.mtu !== undefined ? { mtu: o.mtu } : {}),
    ...(o.mac !== undefined ? { mac: o.mac } : {}),
    up: o.up ?? true,
  };
}
