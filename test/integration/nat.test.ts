import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { instanceOf } from '../../src/state/store.js';
import { Sandbox, expectExit, sh, sysctl } from './sandbox.js';
import { container, doc, docs, routedNet } from '../fixtures.js';

/**
 * SPEC §1 `nat` (issue 13): a bridge network with `nat: true` masquerades its IPv4 subnets when
 * they leave through another interface, in ctnet's own table. The external machine has no route
 * back to the bridge subnets, so only masquerade can bring the answer home; what it sees as the
 * source is counted there (a counting table in the external namespace, the test's own).
 */
const EXT = '192.168.230.254';
const UPLINK = '192.168.230.1';
const CT1 = '10.30.0.11'; // bridged, on NAT network lan
const CT2 = '192.168.230.11'; // routed: keeps its source
const CT3 = '10.31.0.11'; // bridged, on NAT network lan2
const SOURCES = [UPLINK, CT1, CT2, CT3];

const bridgeNet = (name: string, net: string, nat: boolean): string =>
  doc('Network', name, `{type: bridge, subnets: [${net}.0/24], gateway: ${net}.1, nat: ${nat}}`);
const LAN = (nat = true): string =>
  docs(bridgeNet('lan', '10.30.0', nat), container('ct1', `{name: eth0, network: lan, addresses: [${CT1}/24]}`));
const LAN2 = docs(
  bridgeNet('lan2', '10.31.0', true),
  container('ct3', `{name: eth0, network: lan2, addresses: [${CT3}/24]}`),
);
const ROUTED = docs(
  routedNet('public', '192.168.230.0/24', ', uplink: enp0s5'),
  container('ct2', `{name: venet0, network: public, addresses: [${CT2}]}`),
);
const OTHER_TOOL =
  'table ip othertool {\n\tchain post {\n\t\ttype nat hook postrouting priority srcnat + 10; policy accept;\n\t\tip saddr 10.9.9.0/24 masquerade\n\t}\n}\n';
const masq = (net: string, br: string): string => `ip saddr ${net}.0/24 oifname != "${br}" masquerade`;

describe('NAT on bridge networks', () => {
  const sb = new Sandbox();
  let ext = '';
  let rulesetBefore = '';
  let forwardBefore = '';
  let otherBefore = '';
  const nft = (ns: string, ...args: string[]): string => sh('ip', 'netns', 'exec', ns, 'nft', ...args);
  const table = (): string | undefined =>
    JSON.parse(nft(sb.host, '-j', 'list', 'tables')).nftables.find((i: any) => i.table?.name.startsWith('ctnet_'))
      ?.table.name;
  /** ctnet's table without handles and counter values: chain → rule texts, set → elements. */
  const shape = (): Record<string, unknown> => {
    const items = JSON.parse(nft(sb.host, '-j', 'list', 'table', 'inet', table()!)).nftables;
    const strip = (x: unknown): unknown =>
      JSON.parse(JSON.stringify(x, (k, v) => (k === 'handle' || k === 'packets' || k === 'bytes' ? undefined : v)));
    return Object.fromEntries(
      items
        .filter((i: any) => i.chain || i.set)
        .map((i: any) =>
          i.chain
            ? [
                `chain ${i.chain.name}`,
                items.filter((r: any) => r.rule?.chain === i.chain.name).map((r: any) => strip(r.rule.expr)),
              ]
            : [`set ${i.set.name}`, i.set.elem ?? []],
        ),
    );
  };
  const natRules = (): string[] => {
    if (!table()) return [];
    const text = spawnSync('ip', ['netns', 'exec', sb.host, 'nft', 'list', 'chain', 'inet', table()!, 'postrouting'], {
      encoding: 'utf8',
    });
    return text.status === 0
      ? text.stdout
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l.startsWith('ip saddr'))
      : [];
  };

  /** A fresh counting table in the external namespace: one counter per source address. */
  const startCounting = (): void => {
    const rules = SOURCES.map((a) => `\t\tip saddr ${a} counter`).join('\n');
    const script = `table inet count {}\ndelete table inet count\ntable inet count {\n\tchain pre {\n\t\ttype filter hook prerouting priority -300; policy accept;\n${rules}\n\t}\n}\n`;
    expect(spawnSync('ip', ['netns', 'exec', ext, 'nft', '-f', '-'], { input: script }).status).toBe(0);
  };
  /** Packets that arrived in the external namespace, by source address. */
  const arrived = (): Record<string, number> => {
    const items = JSON.parse(nft(ext, '-j', 'list', 'table', 'inet', 'count')).nftables;
    return Object.fromEntries(
      items.filter((i: any) => i.rule).map((i: any) => [i.rule.expr[0].match.right, i.rule.expr[1].counter.packets]),
    );
  };
  /** Three echoes to the external machine; with `expectReply` up to 5 s for the replies, else 1 s for one. */
  const pingExt = (ct: string, expectReply = true): boolean =>
    spawnSync('ip', [
      'netns',
      'exec',
      sb.ns(ct),
      'ping',
      '-4',
      '-c',
      '3',
      '-i',
      '0.2',
      ...(expectReply ? ['-w', '5'] : ['-W', '1']),
      EXT,
    ]).status === 0;

  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', `${UPLINK}/24`, `${EXT}/24`);
    // the external machine knows only its LAN: no route back to 10.30.0.0/24 or 10.31.0.0/24
    expect(sh('ip', '-n', ext, 'route', 'show').trim()).toBe(
      `192.168.230.0/24 dev lan0 proto kernel scope link src ${EXT}`,
    );
    expect(spawnSync('ip', ['netns', 'exec', sb.host, 'nft', '-f', '-'], { input: OTHER_TOOL }).status).toBe(0);
    rulesetBefore = nft(sb.host, 'list', 'ruleset');
    otherBefore = nft(sb.host, 'list', 'table', 'ip', 'othertool');
    forwardBefore = sysctl(sb.host, 'net.ipv4.ip_forward');
    sb.write('lan.yaml', LAN());
    sb.write('lan2.yaml', LAN2);
    sb.write('routed.yaml', ROUTED);
  });
  afterAll(() => sb.cleanup());

  it('a NAT container reaches a machine without a route back, which sees the uplink address; a routed one keeps its source', () => {
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(natRules()).toEqual([masq('10.30.0', 'br-lan'), masq('10.31.0', 'br-lan2')]);
    expect(sysctl(sb.host, 'net.ipv4.ip_forward')).toBe('1');
    startCounting();
    expect(pingExt('ct1'), 'ct1 (NAT) pings the external machine').toBe(true);
    const nat = arrived();
    expect(pingExt('ct2'), 'ct2 (routed) pings the external machine').toBe(true);
    const both = arrived();
    console.log(`NAT: after ct1's pings ${JSON.stringify(nat)}; after ct2's ${JSON.stringify(both)}`);
    expect(nat[UPLINK]).toBeGreaterThanOrEqual(3);
    expect(nat[CT1]).toBe(0);
    expect(both[CT2]).toBeGreaterThanOrEqual(3);
    expect(both[UPLINK]).toBe(nat[UPLINK]); // the routed container's packets were not masqueraded
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('a NAT rule deleted by hand is drift, and is repaired', () => {
    const rules = JSON.parse(nft(sb.host, '-j', 'list', 'chain', 'inet', table()!, 'postrouting')).nftables.filter(
      (i: any) => i.rule,
    );
    nft(sb.host, 'delete', 'rule', 'inet', table()!, 'postrouting', 'handle', String(rules[0].rule.handle));
    expect(natRules()).toEqual([masq('10.31.0', 'br-lan2')]);
    const p = expectExit(sb.ctnet('plan', '--detailed-exitcode', '-o', 'json', sb.manifestDir), 2);
    const changes = JSON.parse(p.stdout).changes.map((c: any) => `${c.action} ${c.object}`);
    expect(changes).toEqual([`update nftables table inet ctnet_${instanceOf(sb.stateDir)}`]);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(natRules()).toEqual([masq('10.30.0', 'br-lan'), masq('10.31.0', 'br-lan2')]);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('destroy of one NAT network takes exactly its rule; pruning one does too', () => {
    const before = shape();
    expectExit(sb.ctnet('destroy', '-q', `${sb.manifestDir}/lan2.yaml`), 0);
    expect(natRules()).toEqual([masq('10.30.0', 'br-lan')]);
    const after = shape();
    expect(after['chain forward']).toEqual(before['chain forward']);
    expect(after['chain input']).toEqual(before['chain input']);
    expect(after['set allowed4']).toEqual(before['set allowed4']);
    // what the partial destroy left is what the remaining manifests ask for
    sb.remove('lan2.yaml');
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
    sb.write('lan2.yaml', LAN2);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(natRules()).toEqual([masq('10.30.0', 'br-lan'), masq('10.31.0', 'br-lan2')]);
    sb.remove('lan2.yaml');
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expect(natRules()).toEqual([masq('10.30.0', 'br-lan')]);
    expect(shape()).toEqual(after);
  });

  it('disabling NAT removes exactly the NAT rules; the container no longer reaches the machine, routing still works', () => {
    const before = shape();
    sb.write('lan.yaml', LAN(false));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    const { 'chain postrouting': gone, ...rest } = before;
    expect(gone).toHaveLength(1);
    expect(shape()).toEqual(rest); // the anti-spoofing part stays for the routed container
    startCounting();
    expect(pingExt('ct1', false), 'ct1 without NAT').toBe(false);
    expect(pingExt('ct2'), 'ct2 (routed)').toBe(true);
    const n = arrived();
    console.log(`NAT disabled: ${JSON.stringify(n)}`);
    // the echo requests still arrive, with a source the machine cannot answer
    expect(n[CT1]).toBeGreaterThanOrEqual(1);
    expect(n[UPLINK]).toBe(0);
    expect(n[CT2]).toBeGreaterThanOrEqual(3);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it("destroy leaves the host's ruleset and forwarding as they were; another tool's table survived everything", () => {
    expect(nft(sb.host, 'list', 'table', 'ip', 'othertool')).toBe(otherBefore);
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(table()).toBeUndefined();
    expect(nft(sb.host, 'list', 'ruleset')).toBe(rulesetBefore);
    expect(sysctl(sb.host, 'net.ipv4.ip_forward')).toBe(forwardBefore);
  });
});
