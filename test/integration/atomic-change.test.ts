import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, expectExit, ping } from './sandbox.js';
import { netnsStates } from './netns-state.js';
import { V1, V2, writeWorld } from './atomic-change-world.js';
import { buildDemoLans, lansOf } from '../../src/demo/host.js';

/**
 * Issue 21 (1, 4): `apply --atomic` of a generation that changes a whole host (deletions, a device
 * given back, a NAT network and a bridged uplink removed, changes in place, additions), refused at
 * the last operation of each step in turn (CTNET_FAIL_OP=step:K). After every rollback the host
 * and every namespace of the first generation are as they were (netns-state.ts says what is
 * renumbered, and why), the inventory plans nothing for v1, and traffic flows again.
 */
describe('apply --atomic rolls back a change of everything, at every step', () => {
  const sb = new Sandbox();
  const lans = lansOf(`${sb.prefix}-`);
  const [lan, dmz, nic] = lans.map((l) => l.ns);
  let v1 = '';
  let v2 = '';
  let before: Awaited<ReturnType<typeof netnsStates>> = {};
  /** The host and the namespaces v1 made (the LANs are the outside world). */
  const watched = (): string[] => [sb.host, ...sb.namespaces().filter((n) => !lans.some((l) => l.ns === n))];
  /** Every network of v1 carries traffic: routed, bridged with its uplink, passed through, NAT'd. */
  const traffic = (): Record<string, boolean> => ({
    routed: ping(lan, '192.168.200.101') && ping(lan, '192.168.200.102'),
    routedV6: ping(sb.ns('ct102'), '2001:db8:1::254'),
    bridged: ping(sb.ns('ct202'), '10.30.0.1'),
    uplink: ping(dmz, '10.40.0.11'),
    passthrough: ping(nic, '10.1.1.5'),
    nat: ping(sb.ns('ct401'), '192.168.200.254'),
  });
  const ALL = { routed: true, routedV6: true, bridged: true, uplink: true, passthrough: true, nat: true };

  beforeAll(async () => {
    buildDemoLans(sb.host, lans);
    v1 = writeWorld(sb, 'v1', V1);
    v2 = writeWorld(sb, 'v2', V2);
    expectExit(sb.ctnet('apply', v1), 0);
    before = await netnsStates(watched());
  });
  afterAll(() => sb.cleanup());

  it('puts the host and every namespace back, whichever step fails, until v2 goes through', async () => {
    expect(traffic()).toEqual(ALL);
    let step = 1;
    for (; step < 40; step++) {
      const r = sb.ctnetEnv({ CTNET_FAIL_OP: `step:${step}` }, 'apply', '--atomic', v2);
      if (r.code === 0) break;
      const at = `after a failure at step ${step}`;
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`refused on purpose (CTNET_FAIL_OP=step:${step})`);
      expect(r.stderr, at).toMatch(/^rolled back: [1-9]\d* changes/m);
      expect(watched(), at).toEqual(Object.keys(before));
      // both only read: the plan runs while the namespaces are read
      const planned = sb.ctnetBackground(['plan', '--detailed-exitcode', v1]).done;
      expect(await netnsStates(Object.keys(before)), at).toEqual(before);
      expect(expectExit(await planned, 0).stdout).toContain('No changes.');
      expect(traffic(), at).toEqual(ALL);
    }
    console.log(`apply --atomic v1 → v2: rolled back a failure at each of ${step - 1} steps, then applied`);
    expect(step).toBeGreaterThan(3);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', v2), 0);
    expect(ping(lan, '192.168.200.111')).toBe(true);
    expect(sb.namespaces()).not.toContain(sb.ns('ct102'));
  }, 180_000); // about 35 s on an idle 2-core machine; several times that beside other kernel tests
});
