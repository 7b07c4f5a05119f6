import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, ipj, sh } from './sandbox.js';
import { container, doc } from '../fixtures.js';

/**
 * Issue 19 §3: one rule for what is added by hand on a link ctnet owns. The link is declared as a
 * whole (nmstate's view; Calico removes routes it does not want from its interfaces): addresses
 * and routes nobody declared are removed, on a host end and inside a container. What the kernel
 * makes by itself (IPv6 link-locals, proto kernel routes) never counts.
 */
const NET = doc('Network', 'public', '{type: routed, subnets: [192.168.213.0/24], uplink: enp0s5}');
const HOST_END = 've-ct1-venet0';

type Place = { ns: string; dev: string };

describe('owned links: hand-added addresses and routes follow one rule', () => {
  const sb = new Sandbox();
  const host = (): Place => ({ ns: sb.host, dev: HOST_END });
  const inside = (): Place => ({ ns: sb.ns('ct1'), dev: 'venet0' });
  const addrs = (p: Place): string[] =>
    ipj(p.ns, 'addr', 'show', 'dev', p.dev).flatMap((l) =>
      l.addr_info.map((a: { local: string; prefixlen: number }) => `${a.local}/${a.prefixlen}`),
    );
  const routes = (p: Place, family: '-4' | '-6' = '-4'): { dst: string; protocol?: string }[] =>
    ipj(p.ns, family, 'route', 'show', 'dev', p.dev);
  const dsts = (p: Place): string[] => routes(p).map((r) => r.dst);

  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.213.1/24', '192.168.213.254/24');
    sb.write('net.yaml', NET);
    sb.write('ct1.yaml', container('ct1', '{name: venet0, network: public, addresses: [192.168.213.101]}'));
    expect(sb.ctnet('apply', sb.manifestDir).code).toBe(0);
  });
  afterAll(() => sb.cleanup());

  it("removes addresses and routes added by hand, on the host end and in the container; keeps the kernel's", () => {
    const linkLocal = (p: Place): string[] => addrs(p).filter((a) => a.startsWith('fe80:'));
    const kernelV6 = (): unknown[] => routes(inside(), '-6').filter((r) => r.protocol === 'kernel');
    const kept = { host: linkLocal(host()), inside: linkLocal(inside()), v6routes: kernelV6() };
    expect(kept.inside.length).toBeGreaterThan(0);
    const drift = [
      [host(), '10.213.1.1/32', '10.213.2.0/24'],
      [inside(), '10.213.3.1/32', '10.213.4.0/24'],
    ] as const;
    for (const [p, addr, net] of drift) {
      sh('ip', '-n', p.ns, 'addr', 'add', addr, 'dev', p.dev);
      sh('ip', '-n', p.ns, 'route', 'add', net, 'dev', p.dev);
      // the drift was made
      expect(addrs(p)).toContain(addr);
      expect(dsts(p)).toContain(net);
    }
    const plan = sb.ctnet('plan', sb.manifestDir);
    expect(plan.stdout).toMatch(/10\.213\.2\.0\/24/);
    expect(plan.stdout).toMatch(/10\.213\.4\.0\/24/);
    expect(sb.ctnet('apply', sb.manifestDir).code).toBe(0);
    expect(addrs(host())).not.toContain('10.213.1.1/32');
    expect(dsts(host())).not.toContain('10.213.2.0/24');
    expect(addrs(inside())).not.toContain('10.213.3.1/32');
    expect(dsts(inside())).not.toContain('10.213.4.0/24');
    // declared objects stay, and what the kernel made is untouched
    expect(addrs(inside())).toContain('192.168.213.101/32');
    expect(dsts(host())).toContain('192.168.213.101');
    expect(linkLocal(host())).toEqual(kept.host);
    expect(linkLocal(inside())).toEqual(kept.inside);
    expect(kernelV6()).toEqual(kept.v6routes);
    expect(sb.ctnet('plan', sb.manifestDir).stdout).toMatch(/No changes/);
  });
});
