import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../src/engine/reconcile.js';
import { makeDriver } from '../../src/driver/select.js';
import type { Driver, ObserveRequest } from '../../src/driver/types.js';
import { ipj, ping, Sandbox, sh } from './sandbox.js';

const ct = (i: number) => `apiVersion: ctnet/v1
kind: Container
metadata: {name: ct${i}}
spec: {netns: '@ct${i}', interfaces: [{name: eth0, network: lan, addresses: [10.42.0.${10 + i}/24]}]}
`;

/** A driver that remembers which namespaces each observation read. */
function recording(inner: Driver): { driver: Driver; reads: string[][] } {
  const reads: string[][] = [];
  const driver: Driver = Object.assign(Object.create(Object.getPrototypeOf(inner)), inner, {
    observe: async (r: ObserveRequest) => {
      reads.push([...r.namespaces]);
      return inner.observe(r);
    },
  });
  return { driver, reads };
}

/** A driver that runs `after` once its batches ran: what someone does behind the run's back, before verification. */
function meddling(host: string, after: () => void): Driver {
  const { driver } = recording(makeDriver('netlink', host));
  const run = driver.run.bind(driver);
  return Object.assign(driver, {
    run: async (...a: Parameters<Driver['run']>) => {
      const out = await run(...a);
      after();
      return out;
    },
  });
}

describe('verification after apply reads again only what the run touched', () => {
  const sb = new Sandbox();
  const apply = async (driver: Driver) =>
    reconcile({ mode: 'apply', paths: [sb.manifestDir], stateDir: sb.stateDir, hostNetns: sb.host, driver });

  beforeAll(() => {
    sb.write(
      'lan.yaml',
      'apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: lan}\nspec: {type: bridge, subnets: [10.42.0.0/24], gateway: 10.42.0.1}\n',
    );
    for (const i of [1, 2, 3]) sb.write(`ct${i}.yaml`, ct(i));
  });
  afterAll(() => sb.cleanup());

  it('one container added to three: the plan observes all, verification only the new one', async () => {
    const first = await apply(makeDriver('netlink', sb.host));
    expect(first.outcome).toBe('applied');
    sb.write('ct4.yaml', ct(4));
    const { driver, reads } = recording(makeDriver('netlink', sb.host));
    const r = await apply(driver);
    expect(r.outcome).toBe('applied');
    expect(reads[0].sort()).toEqual([sb.ns('ct1'), sb.ns('ct2'), sb.ns('ct3'), sb.ns('ct4')]);
    expect(reads.slice(1)).toEqual([[sb.ns('ct4')]]);
    expect(
      ipj(sb.ns('ct4'), 'addr', 'show', 'dev', 'eth0')[0].addr_info.map((a: { local: string }) => a.local),
    ).toContain('10.42.0.14');
  });

  it('a change that did not hold in a touched namespace is still reported', async () => {
    // the kernel refuses nothing here, so the change is undone behind the run's back: the
    // address is deleted by hand after execution, through the driver's own run hook
    let undone = false;
    const driver = meddling(sb.host, () => {
      const has = ipj(sb.ns('ct2'), 'addr', 'show', 'dev', 'eth0')[0].addr_info.some(
        (x: { local: string }) => x.local === '10.42.0.99',
      );
      if (has) {
        sh('ip', '-n', sb.ns('ct2'), 'addr', 'del', '10.42.0.99/24', 'dev', 'eth0');
        undone = true;
      }
    });
    sb.write('ct2.yaml', ct(2).replace('10.42.0.12/24', '10.42.0.99/24'));
    const r = await apply(driver);
    expect(undone).toBe(true);
    expect(r.outcome).toBe('failed');
    expect(r.errors.map((e) => e.message).join('\n')).toMatch(/did not converge: create address.*10\.42\.0\.99/);
  });

  it('a drift made meanwhile where the run did not touch is not its failure: the next run repairs it', async () => {
    // put ct2 back as its manifest says, so this run has one thing to do: ct2's address again
    sb.write('ct2.yaml', ct(2));
    let drifted = false;
    // after the run's own changes, ct3 (which it does not touch) loses its address
    const driver = meddling(sb.host, () => {
      if (!drifted) sh('ip', '-n', sb.ns('ct3'), 'addr', 'del', '10.42.0.13/24', 'dev', 'eth0');
      drifted = true;
    });
    const r = await apply(driver);
    expect(drifted).toBe(true);
    expect(r.outcome, JSON.stringify(r.errors)).toBe('applied');
    expect(r.plan?.actions.every((a) => a.netns === sb.ns('ct2') || a.netns === null)).toBe(true);
    // the drift was made, and the next run (which reads every namespace) repairs it
    expect(
      ipj(sb.ns('ct3'), 'addr', 'show', 'dev', 'eth0')[0].addr_info.map((x: { local: string }) => x.local),
    ).not.toContain('10.42.0.13');
    const next = await apply(makeDriver('netlink', sb.host));
    expect(next.outcome).toBe('applied');
    expect(next.plan?.actions.map((a) => a.netns)).toContain(sb.ns('ct3'));
    expect(ping(sb.ns('ct3'), '10.42.0.1')).toBe(true);
  });
});
