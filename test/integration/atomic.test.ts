import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, expectExit, ping, sh } from './sandbox.js';
import { container, doc, docs } from '../fixtures.js';
import { writeExamples } from './example-world.js';
import { hostState, settled } from './host-state.js';
import { buildDemoLans, lansOf } from '../../src/demo/host.js';

/** Eight more containers beside the examples' twelve: routed and bridged, some dual stack. */
const extra = (n: number): string =>
  Array.from({ length: n }, (_, i) => {
    const routed = i % 2 === 0;
    const iface = routed
      ? `{name: venet0, network: public, addresses: [192.168.200.${170 + i}, "2001:db8:1::${170 + i}"]}`
      : `{name: eth0, network: lan, addresses: [10.30.0.${170 + i}/24]}`;
    return `apiVersion: ctnet/v1\nkind: Container\nmetadata: {name: x${i}}\nspec:\n  netns: "@x${i}"\n  interfaces: [${iface}]\n`;
  }).join('---\n');

/**
 * `apply --atomic` of a mixed host (routed, bridged, passthrough, VMs, NAT, Kleene's drivers: 20
 * containers), refused at the last operation of each step in turn (CTNET_FAIL_OP=step:K), then
 * rolled back: every time, the host namespace equals what it was before, byte for byte.
 */
describe('apply --atomic rolls back a failure at every step', () => {
  const sb = new Sandbox();
  const lans = lansOf(`${sb.prefix}-`);
  let before: ReturnType<typeof hostState>;
  beforeAll(() => {
    buildDemoLans(sb.host, lans);
    writeExamples(sb);
    sb.write('extra.yaml', extra(8));
    settled(sb.host);
    before = hostState(sb.host);
  });
  afterAll(() => sb.cleanup());

  it('puts the host back as it was, whichever step fails, until the apply goes through', () => {
    let step = 1;
    for (; step < 60; step++) {
      const r = sb.ctnetEnv({ CTNET_FAIL_OP: `step:${step}` }, 'apply', '--atomic', sb.manifestDir);
      if (r.code === 0) break;
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`refused on purpose (CTNET_FAIL_OP=step:${step})`);
      expect(r.stderr).toMatch(/^rolled back: [1-9]\d* changes/m);
      settled(sb.host); // a device given back gets a new link-local from the kernel, on the kernel's clock
      expect(hostState(sb.host), `after a failure at step ${step}`).toEqual(before);
      expect(sb.namespaces(), `after a failure at step ${step}`).toEqual(lans.map((l) => l.ns).sort());
      expectExit(sb.ctnet('status', '--json'), 0);
    }
    console.log(`apply --atomic: rolled back a failure at each of ${step - 1} steps, then applied`);
    expect(step).toBeGreaterThan(3);
    const [lan] = lans.map((l) => l.ns);
    expect(ping(lan, '192.168.200.170')).toBe(true);
  });
});

/**
 * A failure the kernel gives by itself (a sysctl value out of its range), over a host ctnet
 * already runs: the rollback deletes the container the run made, and the bridge, which took its
 * address from a port as bridges do, follows its ports again (its address is not pinned).
 */
describe('apply --atomic over a running host, refused by the kernel', () => {
  const sb = new Sandbox();
  const lan = doc('Network', 'lan', '{type: bridge, subnets: [10.30.0.0/24], gateway: 10.30.0.1}');
  const web = (n: string, a: string): string => container(n, `{name: eth0, network: lan, addresses: [${a}]}`);
  const assignType = (): string => sh('ip', 'netns', 'exec', sb.host, 'cat', '/sys/class/net/br-lan/addr_assign_type');
  afterAll(() => sb.cleanup());

  it('exits 1 with the kernel refusal, and the host and the container are as before', () => {
    sb.write('m.yaml', docs(lan, web('web', '10.30.0.11/24')));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    settled(sb.host);
    settled(sb.ns('web'));
    const before = { host: hostState(sb.host), web: hostState(sb.ns('web')), assigned: assignType() };
    const ttl = doc('Host', 'host', '{sysctls: {net.ipv4.ip_default_ttl: "300"}}');
    sb.write('m.yaml', docs(lan, web('web', '10.30.0.11/24'), web('db', '10.30.0.12/24'), ttl));
    const r = sb.ctnet('apply', '--atomic', sb.manifestDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/net\.ipv4\.ip_default_ttl.*Invalid argument/);
    expect(r.stderr).toMatch(/^rolled back: 1 changes/m);
    settled(sb.host);
    expect({ host: hostState(sb.host), web: hostState(sb.ns('web')), assigned: assignType() }).toEqual(before);
    expect(sb.namespaces()).toEqual([sb.ns('web')]);
  });
});
