import type { DesiredObject } from './desired.js';
import type { ObjectKey } from './keys.js';

/** The key of a desired (or observed) object: what identifies it in its namespace. */
export function keyOf(d: DesiredObject): ObjectKey {
  switch (d.kind) {
    case 'netns': return { kind: 'netns', ns: null, name: d.obj.name };
    case 'link': return { kind: 'link', ns: d.ns, name: d.obj.name };
    case 'port': return { kind: 'port', ns: d.ns, name: d.obj.name };
    case 'address': return { kind: 'address', ns: d.ns, dev: d.obj.dev, cidr: d.obj.cidr };
    case 'route': return { kind: 'route', ns: d.ns, family: d.obj.family, dst: d.obj.dst };
    case 'neighbor': return { kind: 'neighbor', ns: d.ns, dev: d.obj.dev, dst: d.obj.dst };
    case 'sysctl': return { kind: 'sysctl', ns: d.ns, key: d.obj.key };
  }
}
