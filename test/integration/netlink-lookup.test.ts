import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import { runNetlinkOps } from '../../src/driver/netlink/exec-ops.js';
import { NetlinkSocket } from '../../src/driver/netlink/socket.js';
import { RTM_GETLINK } from '../../src/driver/netlink/constants.js';
import type { Op } from '../../src/model/ops.js';
import { ipj, sh } from './sandbox.js';

const NS = `ctk${randomBytes(3).toString('hex')}`;
const addr = (i: number, dev = `va${i}`): Op => ({
  op: 'addr-add',
  ns: NS,
  address: { dev, family: 4, cidr: `10.77.${i}.1/24` },
});
const addrsOf = (dev: string): string[] =>
  ipj(NS, 'addr', 'show', 'dev', dev).flatMap((l) => l.addr_info.map((a: { local: string }) => a.local));

/** Link names resolved by the netlink driver: one dump for a batch naming many links, single requests for a few. */
describe('netlink batches resolve link names', () => {
  beforeAll(() => {
    sh('ip', 'netns', 'add', NS);
    const lines = Array.from({ length: 40 }, (_, i) => `link add va${i} type veth peer name vb${i}`);
    for (const l of lines) sh('ip', '-n', NS, ...l.split(' '));
  });
  afterAll(() => void sh('ip', 'netns', 'del', NS));

  const linkDumps = () => {
    const spy = vi.spyOn(NetlinkSocket.prototype, 'dumpRaw');
    // counted before the spy is restored: restoring clears what it recorded
    return {
      done: (): number => {
        const n = spy.mock.calls.filter(([type]) => type === RTM_GETLINK).length;
        spy.mockRestore();
        return n;
      },
    };
  };

  it('40 links named: one dump; a link made in the batch after it is still found', async () => {
    const d = linkDumps();
    const made: Op = { op: 'link-add', ns: NS, link: { name: 'vnew', kind: 'veth', peer: { name: 'vnewp', ns: NS } } };
    const out = await runNetlinkOps(
      NS,
      [...Array.from({ length: 40 }, (_, i) => addr(i)), made, addr(50, 'vnew')],
      null,
    );
    expect(d.done()).toBe(1);
    expect(out).toEqual({ ran: 42, failures: [] });
    for (const i of [0, 17, 39]) expect(addrsOf(`va${i}`)).toContain(`10.77.${i}.1`);
    expect(addrsOf('vnew')).toContain('10.77.50.1');
  });

  it('a few links named: no dump, one request each; an unknown name is refused as ip refuses it', async () => {
    const d = linkDumps();
    const out = await runNetlinkOps(NS, [addr(60, 'vb0'), addr(61, 'vb1'), addr(62, 'nosuch')], null);
    expect(d.done()).toBe(0);
    expect(out.ran).toBe(3);
    expect(out.failures.map((f) => f.message).join()).toMatch(/Cannot find device "nosuch"/);
    expect(addrsOf('vb1')).toContain('10.77.61.1');
  });

  it('a link-set names its link (no lookup); an unknown name is refused as ip refuses it', async () => {
    const spy = vi.spyOn(NetlinkSocket.prototype, 'transact');
    const made: Op = { op: 'link-add', ns: NS, link: { name: 'vset', kind: 'veth', peer: { name: 'vsetp', ns: NS } } };
    const ops: Op[] = [made, { op: 'link-set', ns: NS, name: 'vset', set: { alias: 'a', up: true } }, addr(70, 'vset')];
    const out = await runNetlinkOps(NS, ops, null);
    const lookups = spy.mock.calls.filter(([type]) => type === RTM_GETLINK).length;
    spy.mockRestore();
    expect(out).toEqual({ ran: 3, failures: [] });
    // only the address needs the new link's ifindex
    expect(lookups).toBe(1);
    expect(addrsOf('vset')).toContain('10.77.70.1');
    const bad = await runNetlinkOps(NS, [{ op: 'link-set', ns: NS, name: 'nosuch', set: { up: true } }], null);
    expect(bad.failures.map((f) => f.message)).toEqual(['Cannot find device "nosuch"']);
  });
});
