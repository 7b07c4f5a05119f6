import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Sandbox, expectExit, ipj, ping, sh } from './sandbox.js';
import { container, doc, docs } from '../fixtures.js';

/**
 * An uplink that is already a port of a bridge this instance does not own (another instance's,
 * or another tool's) is a conflict: taking it would cut that bridge's LAN off, and two watchers
 * would flap it between the bridges. Destroy never releases a port from a bridge it does not own.
 */
describe('a port of a bridge this instance does not own', () => {
  const sb = new Sandbox();
  const stateB = join(sb.dir, 'state-b');
  let ext = '';
  const a = (...args: string[]) => sb.ctnet(...args);
  const b = (...args: string[]) => sb.ctnet('--state-dir', stateB, ...args);
  const master = (dev: string): string | undefined => ipj(sb.host, 'link', 'show', dev)[0].master;
  const bridged = (x: string, n: number, uplink: string) =>
    docs(
      doc('Network', `lan-${x}`, `{type: bridge, bridge: br-${x}, subnets: [10.8${n}.0.0/24], uplink: ${uplink}}`),
      container(`ct${x}`, `{name: eth0, network: lan-${x}, addresses: [10.8${n}.0.11]}`),
    );

  beforeAll(() => {
    ext = sb.external('lan', 'enp1s0', undefined, '10.81.0.254/24');
    // another tool's bridge, with a port of its own, and a spare interface
    sh('ip', '-n', sb.host, 'link', 'add', 'br-tool', 'up', 'type', 'bridge');
    for (const n of ['up1', 'up2']) {
      sh('ip', '-n', sb.host, 'link', 'add', n, 'up', 'type', 'veth', 'peer', 'name', `${n}p`);
    }
    sh('ip', '-n', sb.host, 'link', 'set', 'up1', 'master', 'br-tool');
    sb.write('a/m.yaml', bridged('a', 1, 'enp1s0'));
  });
  afterAll(() => {
    a('destroy', '-q');
    b('destroy', '-q');
    sb.cleanup();
  });

  it("A bridges its LAN; B asking for the same uplink is refused at spec.uplink, and A's LAN stays", () => {
    expectExit(a('apply', '-q', join(sb.manifestDir, 'a')), 0);
    expect(ping(ext, '10.81.0.11')).toBe(true);
    const file = sb.write('b1/m.yaml', bridged('b', 2, 'enp1s0'));
    const r = expectExit(b('apply', '-q', join(sb.manifestDir, 'b1')), 3);
    const where = `${file}:4:69: spec.uplink:`;
    expect(r.stderr).toContain(`${where} interface "enp1s0" is a port of bridge "br-a" of another ctnet instance`);
    expect(master('enp1s0')).toBe('br-a');
    expect(sb.namespaces()).toEqual([sb.ns('cta')]);
    expect(ping(ext, '10.81.0.11')).toBe(true);
  });

  it("a port of another tool's bridge is refused too", () => {
    const file = sb.write('b2/m.yaml', bridged('b', 2, 'up1'));
    const r = expectExit(b('apply', '-q', join(sb.manifestDir, 'b2')), 3);
    const where = `${file}:4:69: spec.uplink:`;
    expect(r.stderr).toContain(`${where} interface "up1" is a port of bridge "br-tool", which ctnet does not own`);
    expect(master('up1')).toBe('br-tool');
  });

  it('destroy leaves a port another tool moved to its own bridge where it is', () => {
    sb.write('b3/m.yaml', bridged('b', 2, 'up2'));
    expectExit(b('apply', '-q', join(sb.manifestDir, 'b3')), 0);
    expect(master('up2')).toBe('br-b');
    // someone else takes the port over
    sh('ip', '-n', sb.host, 'link', 'set', 'up2', 'nomaster');
    sh('ip', '-n', sb.host, 'link', 'set', 'up2', 'master', 'br-tool');
    expectExit(b('destroy', '-q'), 0);
    expect(master('up2')).toBe('br-tool');
    expect(master('enp1s0')).toBe('br-a');
    expect(ping(ext, '10.81.0.11')).toBe(true);
  });
});
