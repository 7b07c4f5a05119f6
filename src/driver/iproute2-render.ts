import type { RouteObj } from '../model/kernel.js';
import { ROOT_NS, type LinkSettings, type Op, type TargetNs } from '../model/ops.js';
import { checkSysctl, sysctlPath } from './sysctl.js';
import { isNftOp, nftCommandLine } from './nft-render.js';
import { bridgeArgv, isFdbOp } from './bridge-render.js';

/**
 * Typed operations → iproute2. `batchLine` is a line of `ip -batch` (no `ip`, no `-n`: the batch
 * runs in the operation's namespace); `commandLine` is the full command a person would type,
 * which `plan -o json` and `-o script` show.
 */
const opt = (flag: string, value: string | number | undefined): string[] =>
  value === undefined ? [] : [flag, String(value)];

function settings(s: LinkSettings): string[] {
  return [
    ...opt('mtu', s.mtu),
    ...opt('address', s.mac),
    ...(s.master === undefined ? [] : s.master === null ? ['nomaster'] : ['master', s.master]),
    ...opt('alias', s.alias),
    ...opt('group', s.group),
    ...(s.up === undefined ? [] : [s.up ? 'up' : 'down']),
  ];
}

/** `ip -batch` cannot take `-6`, so IPv6 defaults are written as `::/0`. */
const routeDst = (r: RouteObj): string => (r.dst === 'default' ? (r.family === 6 ? '::/0' : 'default') : r.dst);

/** `hostNetns`: where a link moved to the host goes (`netns 1`, PID 1's, for the real host). */
export function batchArgv(op: Op, hostNetns: string | null = null): string[] {
  switch (op.op) {
    case 'netns-add':
      return ['netns', 'add', op.name];
    case 'netns-del':
      return ['netns', 'del', op.name];
    // not ip commands: the driver mounts in-process; the script view shows the shell equivalent
    case 'netns-attach':
      return ['netns', 'attach', op.name, op.path];
    case 'netns-detach':
      return ['netns', 'detach', op.name];
    case 'link-add': {
      const l = op.link;
      const head = [
        'link',
        'add',
        'name',
        l.name,
        ...opt('mtu', l.mtu),
        ...opt('address', l.mac),
        ...(l.master ? ['master', l.master] : []),
        ...(l.up ? ['up'] : []),
      ];
      if (l.kind === 'veth' && l.peer) {
        return [
          ...head,
          'type',
          'veth',
          'peer',
          'name',
          l.peer.name,
          'netns',
          l.peer.ns,
          ...opt('address', l.peer.mac),
          ...opt('mtu', l.peer.mtu),
        ];
      }
      // `ip link add type tuntap` does not exist; `ip tuntap add` makes a persistent tap and
      // takes no link settings (they come with a `link set`)
      if (l.kind === 'tap') {
        if (head.length > 4) throw new Error(`tap ${l.name}: settings belong in a link-set operation`);
        return ['tuntap', 'add', 'dev', l.name, 'mode', 'tap'];
      }
      if (l.kind === 'vxlan') {
        if (!l.vxlan) throw new Error(`vxlan ${l.name}: no tunnel settings`);
        const x = l.vxlan;
        return [
          ...head,
          'type',
          'vxlan',
          'id',
          String(x.vni),
          'local',
          x.local,
          'dstport',
          String(x.port),
          'nolearning',
          ...opt('dev', x.dev),
        ];
      }
      return [...head, 'type', l.kind];
    }
    case 'link-set':
      return ['link', 'set', 'dev', op.name, ...settings(op.set)];
    case 'link-del':
      return ['link', 'del', 'dev', op.name];
    case 'link-move':
      return ['link', 'set', 'dev', op.name, 'netns', op.to ?? hostNetns ?? '1', 'name', op.newName];
    case 'link-del-group':
      return ['link', 'del', 'group', String(op.group)];
    case 'addr-add':
    case 'addr-del': {
      const a = op.address;
      const prefix = Number(a.cidr.split('/')[1]);
      const add = op.op === 'addr-add';
      const brd = add && a.family === 4 && prefix <= 30 ? ['broadcast', '+'] : [];
      // DAD would leave IPv6 addresses tentative after apply returns; ctnet owns these addresses
      return [
        'address',
        add ? 'add' : 'del',
        a.cidr,
        ...brd,
        'dev',
        a.dev,
        ...(add && a.family === 6 ? ['nodad'] : []),
      ];
    }
    case 'route-add':
    case 'route-replace':
    case 'route-del': {
      const r = op.route;
      return [
        'route',
        op.op.slice('route-'.length),
        routeDst(r),
        ...opt('via', r.via),
        ...opt('dev', r.dev),
        ...(r.onlink ? ['onlink'] : []),
        ...opt('proto', r.protocol),
      ];
    }
    case 'neigh-add':
    case 'neigh-replace':
    case 'neigh-del': {
      const n = op.neighbor;
      const verb = op.op.slice('neigh-'.length);
      return ['neigh', verb, 'proxy', n.dst, 'dev', n.dev, ...(verb === 'del' ? [] : opt('protocol', n.protocol))];
    }
    case 'sysctl-set':
      return [op.key, op.value];
    case 'nft-table':
    case 'nft-delete':
    case 'fdb-add':
    case 'fdb-del':
      throw new Error(`${op.op} is not an ip command`);
  }
}

export const batchLine = (op: Op, hostNetns: string | null = null): string => batchArgv(op, hostNetns).join(' ');

/** The command line of one operation, given which named namespace (if any) plays the host. */
export function commandLine(op: Op, hostNetns: string | null): string {
  if (op.op === 'netns-attach') return `touch /run/netns/${op.name} && mount --bind ${op.path} /run/netns/${op.name}`;
  if (op.op === 'netns-detach') return `umount /run/netns/${op.name} && rm /run/netns/${op.name}`;
  const ns: TargetNs = op.op === 'netns-add' || op.op === 'netns-del' ? ROOT_NS : op.ns === null ? hostNetns : op.ns;
  if (isNftOp(op)) return nftCommandLine(op, op.ns === null ? hostNetns : op.ns);
  if (op.op === 'sysctl-set') {
    // the script view is run by a shell: refuse anything outside the safe set, even here
    checkSysctl(op.key, op.value);
    const path = sysctlPath(op.key);
    return ns === null || ns === ROOT_NS
      ? `echo '${op.value}' > ${path}`
      : `echo '${op.value}' | ip netns exec ${ns} tee ${path} >/dev/null`;
  }
  const nsArgs = ns === null || ns === ROOT_NS ? '' : `-n ${ns} `;
  if (isFdbOp(op)) return `bridge ${nsArgs}${bridgeArgv(op).join(' ')}`;
  return `ip ${nsArgs}${batchLine(op, hostNetns)}`;
}
