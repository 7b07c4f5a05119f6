import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../src/engine/reconcile.js';
import { makeDriver } from '../../src/driver/select.js';
import type { Driver } from '../../src/driver/types.js';
import { Sandbox, expectExit, ipj, ping, sh } from './sandbox.js';
import { netnsStates } from './netns-state.js';
import { container, doc, docs, routedNet } from '../fixtures.js';

/**
 * Issue 21 (1): rollbacks of failures the kernel really gives, and a rollback that itself fails.
 * v1 is a routed and a bridged container; each test applies a v2 that only adds to it, with
 * `--atomic`, and checks the host and v1's namespaces against the checkpoint (netns-state.ts).
 */
const V1 = docs(
  routedNet('public', '192.168.214.0/24', ', uplink: enp0s5'),
  doc('Network', 'lan', '{type: bridge, subnets: [10.31.0.0/24], gateway: 10.31.0.1}'),
  container('ct1', '{name: venet0, network: public, addresses: [192.168.214.101]}'),
  container('ct11', '{name: eth0, network: lan, addresses: [10.31.0.11/24]}'),
);
const ADDED = docs(
  container('ct2', '{name: venet0, network: public, addresses: [192.168.214.102]}'),
  container('ct12', '{name: eth0, network: lan, addresses: [10.31.0.12/24]}'),
  doc('VirtualMachine', 'vm1', '{interfaces: [{network: public, addresses: [192.168.214.150]}]}'),
);
const HOST = (sysctls: string): string => doc('Host', 'default', `{sysctls: {${sysctls}}}`);

describe('apply --atomic: real refusals, and a rollback that fails', () => {
  const sb = new Sandbox();
  let v1 = '';
  let before: Awaited<ReturnType<typeof netnsStates>> = {};
  const names = (): string[] => [sb.host, ...sb.namespaces()];
  /** Back at v1 exactly: the namespaces, their state, and an inventory that plans nothing for v1. */
  const atCheckpoint = async (why: string): Promise<void> => {
    expect(names(), why).toEqual(Object.keys(before));
    expect(await netnsStates(names()), why).toEqual(before);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', v1), 0);
    expect(ping(sb.ns('lan'), '192.168.214.101') && ping(sb.ns('ct11'), '10.31.0.1'), why).toBe(true);
  };

  beforeAll(async () => {
    sb.external('lan', 'enp0s5', '192.168.214.1/24', '192.168.214.254/24');
    v1 = sb.write('v1.yaml', V1);
    expectExit(sb.ctnet('apply', v1), 0);
    before = await netnsStates(names());
  });
  beforeEach(() => sb.remove('v2.yaml'));
  afterAll(() => sb.cleanup());

  const v2 = (...more: string[]): string => sb.write('v2.yaml', docs(V1, ADDED, ...more));

  it('a sysctl value the kernel refuses (EINVAL) is rolled back with everything else', async () => {
    // the schema takes any integer; the kernel keeps ip_default_ttl within 1..255
    const r = sb.ctnet('apply', '--atomic', v2(HOST('net.ipv4.ip_default_ttl: 0, net.ipv4.conf.all.arp_ignore: 1')));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/ip_default_ttl.*Invalid argument/);
    expect(r.stderr).toMatch(/^rolled back: [1-9]\d* changes/m);
    await atCheckpoint('after the refused sysctl');
  });

  it('a rollback refused in its turn says what is left, exits 1, and a plain apply of v1 converges', async () => {
    // the run adds only: its one link deletion is the rollback's (the VM's tap)
    const r = sb.ctnetEnv({ CTNET_FAIL_OP: 'step:2,link-del' }, 'apply', '--atomic', v2());
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('refused on purpose (CTNET_FAIL_OP=step:2)');
    expect(r.stderr).toMatch(/^rollback incomplete: the host is NOT as it was before; left:$/m);
    expect(r.stderr).toMatch(/^ {2}.*link del dev tap-vm1-0: refused on purpose \(CTNET_FAIL_OP=link-del:1\)$/m);
    expect(r.stderr).not.toMatch(/^rolled back/m);
    // what is left is still owned: the next apply of v1 removes it
    expect(ipj(sb.host, 'link', 'show', 'tap-vm1-0')).toHaveLength(1);
    expectExit(sb.ctnet('apply', v1), 0);
    await atCheckpoint('after the plain apply that followed');
  });

  /** A real driver that makes a foreign link named `taken` right before the run's first step. */
  const taking = (taken: string) => {
    const real = makeDriver('netlink', sb.host);
    const foreign = (): Record<string, unknown>[] =>
      ipj(sb.host, 'link', 'show', taken).map(({ ifname, ifindex, ifalias, address }) => ({
        ifname,
        ifindex,
        ifalias,
        address,
      }));
    const made: Record<string, unknown>[] = [];
    const driver: Driver = Object.assign(Object.create(Object.getPrototypeOf(real) as object) as Driver, real, {
      run: async (...a: Parameters<Driver['run']>) => {
        if (!made.length) {
          sh('ip', '-n', sb.host, 'link', 'add', taken, 'type', 'veth', 'peer', 'name', 'foreign-peer');
          made.push(...foreign());
        }
        return real.run(...a);
      },
    });
    return { driver, made, foreign };
  };
  const inProcess = (driver: Driver, atomic: boolean) =>
    reconcile({ mode: 'apply', paths: [v2()], stateDir: sb.stateDir, hostNetns: sb.host, driver, atomic });
  const TAKEN = 've-ct2-venet0';
  const EEXIST = new RegExp(`link add name ${TAKEN} .*: RTNETLINK answers: File exists`);

  // in-process, so that the name is taken after the plan saw it free and before the kernel is
  // asked for it: deterministic, no race
  it('a name taken between plan and apply: the kernel says so, the foreign link stays, the rest is undone', async () => {
    const t = taking(TAKEN);
    const r = await inProcess(t.driver, true);
    expect(r.outcome).toBe('failed');
    expect(r.errors.map((e) => e.message).join('\n')).toMatch(EEXIST);
    expect(r.rollback?.errors, JSON.stringify(r.rollback?.errors)).toEqual([]);
    expect(r.rollback?.plan?.actions.length).toBeGreaterThan(0);
    expect(t.foreign(), 'the foreign link, untouched').toEqual(t.made);
    sh('ip', '-n', sb.host, 'link', 'del', TAKEN);
    await atCheckpoint('after the rollback, the foreign link deleted by the test');
  });

  it('without --atomic, the failed run does not claim the foreign link: the next apply refuses it', async () => {
    const t = taking(TAKEN);
    const r = await inProcess(t.driver, false);
    expect(r.outcome).toBe('failed');
    expect(r.errors.map((e) => e.message).join('\n')).toMatch(EEXIST);
    const next = expectExit(sb.ctnet('apply', v2()), 3);
    expect(next.stderr).toContain(`link "${TAKEN}" exists and is not owned by ctnet`);
    expect(t.foreign(), 'the foreign link, untouched').toEqual(t.made);
    sh('ip', '-n', sb.host, 'link', 'del', TAKEN);
    expectExit(sb.ctnet('apply', v1), 0);
    await atCheckpoint('after v1 applied again');
  });
});
