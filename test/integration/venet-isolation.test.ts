import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { instanceOf } from '../../src/state/store.js';
import { Sandbox, expectExit, ping, sh } from './sandbox.js';
import { container, docs, routedNet } from '../fixtures.js';

/**
 * SPEC §1 routed interfaces, venet isolation: a container cannot send with a source that is not
 * its own. Proven with packets counted where they would arrive (a counting table in the external
 * namespace, the test's own), and with ctnet's drop counters in the host namespace.
 */
const MANIFESTS = docs(
  routedNet('public', '192.168.230.0/24, "2001:db8:30::/64"', ', uplink: enp0s5'),
  container('ct1', '{name: venet0, network: public, addresses: [192.168.230.11, "2001:db8:30::11"]}'),
  container('ct2', '{name: venet0, network: public, addresses: [192.168.230.12, "2001:db8:30::12"]}'),
);
const EXT4 = '192.168.230.254';
const EXT6 = '2001:db8:30::254';
const OWN = ['192.168.230.11', '2001:db8:30::11'];
/** Sources container 1 must not use: unassigned in the subnet, another container's, foreign. */
const SPOOFED = [
  '192.168.230.99',
  '2001:db8:30::99',
  '192.168.230.12',
  '2001:db8:30::12',
  '198.51.100.7',
  '2001:db8:ff::7',
];
const OTHER_TOOL =
  'table inet othertool {\n\tchain guard {\n\t\ttype filter hook forward priority filter; policy accept;\n\t\tip saddr 10.9.9.9 accept\n\t}\n}\n';

const is6 = (a: string): boolean => a.includes(':');

describe('venet isolation in nftables', () => {
  const sb = new Sandbox();
  let ext = '';
  let rulesetBefore = '';
  const nft = (ns: string, ...args: string[]): string => sh('ip', 'netns', 'exec', ns, 'nft', ...args);
  const table = (): string =>
    JSON.parse(nft(sb.host, '-j', 'list', 'tables')).nftables.find((i: any) => i.table?.name.startsWith('ctnet_'))
      ?.table.name;

  /** A fresh counting table in the external namespace: one counter per source address. */
  const startCounting = (): void => {
    const rules = [...OWN, ...SPOOFED].map((a) => `\t\t${is6(a) ? 'ip6' : 'ip'} saddr ${a} counter`).join('\n');
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
  /** Packets ctnet's forward chain dropped for a bad source (its last rule). */
  const dropped = (): number => {
    const rules = JSON.parse(nft(sb.host, '-j', 'list', 'chain', 'inet', table(), 'forward')).nftables.filter(
      (i: any) => i.rule,
    );
    return rules[rules.length - 1].rule.expr[0].counter.packets;
  };
  /**
   * Three echoes from `src`. Own sources may wait up to 5 s for their replies (the first IPv6 one
   * waits for proxy NDP, which the kernel delays on purpose); spoofed ones get no reply at all.
   */
  const pingArgs = (src: string, own: boolean): string[] => [
    'netns',
    'exec',
    sb.ns('ct1'),
    'ping',
    is6(src) ? '-6' : '-4',
    '-c',
    '3',
    '-i',
    '0.2',
    ...(own ? ['-w', '5'] : ['-W', '1']),
    '-I',
    src,
    is6(src) ? EXT6 : EXT4,
  ];
  const sendFrom = (src: string, own = false): boolean => spawnSync('ip', pingArgs(src, own)).status === 0;
  /** One ping per source, all at once (each unanswered one waits out its timeout): whether each was answered. */
  const sendFromEach = (srcs: readonly string[]): Promise<boolean[]> =>
    Promise.all(
      srcs.map(
        (src) =>
          new Promise<boolean>((res) =>
            spawn('ip', pingArgs(src, false), { stdio: 'ignore' }).on('close', (code) => res(code === 0)),
          ),
      ),
    );

  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.230.1/24', `${EXT4}/24`);
    sh('ip', '-n', ext, 'addr', 'add', `${EXT6}/64`, 'dev', 'lan0', 'nodad');
    sh('ip', '-n', sb.host, 'addr', 'add', '2001:db8:30::1/64', 'dev', 'enp0s5', 'nodad');
    // reverse-path filtering off: only ctnet's rules can be what stops a spoofed packet
    sh(
      'ip',
      'netns',
      'exec',
      sb.host,
      'sh',
      '-c',
      'echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter; echo 0 > /proc/sys/net/ipv4/conf/default/rp_filter',
    );
    expect(spawnSync('ip', ['netns', 'exec', sb.host, 'nft', '-f', '-'], { input: OTHER_TOOL }).status).toBe(0);
    rulesetBefore = nft(sb.host, 'list', 'ruleset');
    sb.write('m.yaml', MANIFESTS);
  });
  afterAll(() => sb.cleanup());

  it('applies one table named for this instance; the own addresses reach the LAN and back', () => {
    const r = expectExit(sb.ctnet('apply', sb.manifestDir), 0);
    expect(r.stderr).toBe('');
    expect(table()).toMatch(/^ctnet_[0-9a-f]{8}$/);
    startCounting();
    for (const src of OWN) expect(sendFrom(src, true), `ping from ${src}`).toBe(true);
    const n = arrived();
    console.log(
      `venet isolation: arrived from own sources ${JSON.stringify(Object.fromEntries(OWN.map((s) => [s, n[s]])))}`,
    );
    for (const src of OWN) expect(n[src], src).toBeGreaterThanOrEqual(3);
    expect(ping(ext, '192.168.230.12')).toBe(true);
    expect(ping(ext, '2001:db8:30::12')).toBe(true);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  it('drops every packet container 1 sends with a source that is not its own, IPv4 and IPv6', async () => {
    for (const a of SPOOFED)
      sh(
        'ip',
        '-n',
        sb.ns('ct1'),
        'addr',
        'add',
        `${a}/${is6(a) ? 128 : 32}`,
        'dev',
        'venet0',
        ...(is6(a) ? ['nodad'] : []),
      );
    startCounting();
    const before = dropped();
    const answered = await sendFromEach(SPOOFED);
    SPOOFED.forEach((src, i) => expect(answered[i], `ping from ${src}`).toBe(false));
    const n = arrived();
    console.log(
      `venet isolation: arrived from spoofed sources ${JSON.stringify(Object.fromEntries(SPOOFED.map((s) => [s, n[s]])))}; ctnet dropped ${dropped() - before}`,
    );
    for (const src of SPOOFED) expect(n[src], src).toBe(0);
    // 3 echo requests per spoofed source were sent and dropped by ctnet's rule
    expect(dropped() - before).toBeGreaterThanOrEqual(3 * SPOOFED.length);
    // the own addresses still work while the others are on the interface
    expect(sendFrom(OWN[0], true)).toBe(true);
    expect(sendFrom(OWN[1], true)).toBe(true);
  });

  it('a table deleted by hand is drift; meanwhile spoofed packets leak, which proves the counting', () => {
    nft(sb.host, 'delete', 'table', 'inet', table());
    startCounting();
    expect(sendFrom('192.168.230.99')).toBe(false); // no route back to the spoofed source
    expect(arrived()['192.168.230.99']).toBeGreaterThanOrEqual(3);
    const p = expectExit(sb.ctnet('plan', '--detailed-exitcode', '-o', 'json', sb.manifestDir), 2);
    const changes = JSON.parse(p.stdout).changes.map((c: any) => `${c.action} ${c.object}`);
    expect(changes).toContain(`create nftables table inet ctnet_${instanceOf(sb.stateDir)}`);
    // the apply also takes back the addresses added by hand to container 1
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
  });

  const edits: [string, (t: string) => string[]][] = [
    [
      'a rule deleted',
      (t) => {
        const rules = JSON.parse(nft(sb.host, '-j', 'list', 'chain', 'inet', t, 'forward')).nftables.filter(
          (i: any) => i.rule,
        );
        return ['delete', 'rule', 'inet', t, 'forward', 'handle', String(rules[rules.length - 1].rule.handle)];
      },
    ],
    ['a chain flushed', (t) => ['flush', 'chain', 'inet', t, 'input']],
    ['a rule added', (t) => ['add', 'rule', 'inet', t, 'forward', 'accept']],
    ['an element added', (t) => ['add', 'element', 'inet', t, 'allowed4', '{ 192.168.230.99 . "ve-ct1-venet0" }']],
  ];
  for (const [name, edit] of edits) {
    it(`repairs a table edited by hand: ${name}`, () => {
      nft(sb.host, ...edit(table()));
      const p = expectExit(sb.ctnet('plan', '--detailed-exitcode', '-o', 'json', sb.manifestDir), 2);
      const changes = JSON.parse(p.stdout).changes.map((c: any) => `${c.action} ${c.object}`);
      expect(changes).toEqual([`update nftables table inet ctnet_${instanceOf(sb.stateDir)}`]);
      expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
      expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
    });
  }

  it('spoofing is still dropped after the repairs', () => {
    sh('ip', '-n', sb.ns('ct1'), 'addr', 'add', '192.168.230.99/32', 'dev', 'venet0');
    startCounting();
    expect(sendFrom('192.168.230.99')).toBe(false);
    expect(arrived()['192.168.230.99']).toBe(0);
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
  });

  it("destroy removes the table; another tool's table is as it was through apply and destroy", () => {
    expect(nft(sb.host, 'list', 'table', 'inet', 'othertool')).toBe(OTHER_TOOL);
    expectExit(sb.ctnet('destroy', '-q'), 0);
    expect(table()).toBeUndefined();
    expect(nft(sb.host, 'list', 'ruleset')).toBe(rulesetBefore);
  });
});
