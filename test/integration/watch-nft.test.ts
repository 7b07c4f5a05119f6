import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, sh } from './sandbox.js';
import { until, WatchHarness } from './watch-harness.js';
import { instanceOf } from '../../src/state/store.js';
import { container, routedNet } from '../fixtures.js';

/**
 * Issue 19 §3: with the resync far away (600 s), every owned nftables object comes back after a
 * hand edit because an nftables event triggered a run, not the resync; and a container removed
 * from the manifests is logged as a prune, never as a drift repair.
 */
const NET = routedNet('public', '192.168.211.0/24', ', uplink: enp0s5');
const CT = (n: number): string =>
  container(`ct${n}`, `{name: venet0, network: public, addresses: [192.168.211.${100 + n}]}`);

/** One entry of `nft -j`: each holds one of table, set, rule, ..., so every key may be absent. */
type NftItem = Partial<Record<string, { name?: string; table?: string; chain?: string; elem?: unknown[] }>>;

describe('ctnet watch: nftables drift is repaired on nftables events', () => {
  const sb = new Sandbox();
  const w = new WatchHarness();
  const table = `ctnet_${instanceOf(sb.stateDir)}`;
  const nft = (...args: string[]): string => sh('ip', 'netns', 'exec', sb.host, 'nft', ...args);
  const parse = (json: string): NftItem[] => (JSON.parse(json) as { nftables: NftItem[] }).nftables;
  const items = (): NftItem[] => parse(nft('-j', 'list', 'ruleset'));
  /**
   * Makes the drift and reads the ruleset back at once, in one shell in the namespace (the
   * arguments are positional, never interpolated): the repair may come before another process
   * would start. The drift read back, what the kernel held right after the hand edit.
   */
  const drift = (...args: string[]): NftItem[] =>
    parse(sh('ip', 'netns', 'exec', sb.host, 'sh', '-c', 'nft "$@" && nft -j list ruleset', 'sh', ...args));
  const hasTable = (): boolean => items().some((i) => i.table?.name === table);
  const elementsIn = (its: NftItem[], set: string): unknown[] =>
    its.find((i) => i.set?.name === set && i.set.table === table)?.set?.elem ?? [];
  const rulesIn = (its: NftItem[], chain: string): number =>
    its.filter((i) => i.rule?.table === table && i.rule.chain === chain).length;
  const elements = (set: string): unknown[] => elementsIn(items(), set);
  const rules = (chain: string): number => rulesIn(items(), chain);
  /**
   * The repair came from events, not the resync (600 s away): the run that repaired was triggered
   * by kernel events only, and an nftables event was heard (a link event of someone else's may
   * arrive first and trigger the same repair: which one wins is scheduling, not behaviour).
   */
  const repairedByEvent = (from: number): boolean => {
    const runs = w.lines.slice(from).filter((l) => l.event === 'reconcile');
    const repair = runs.find((l) => l.result === 'applied');
    const byEvents = (repair?.triggers ?? []).every((t) => t === 'nftables' || t === 'kernel');
    return !!repair && byEvents && runs.some((l) => l.trigger === 'nftables');
  };

  beforeAll(async () => {
    sb.external('lan', 'enp0s5', '192.168.211.1/24', '192.168.211.254/24');
    sb.write('net.yaml', NET);
    sb.write('ct1.yaml', CT(1));
    sb.write('ct2.yaml', CT(2));
    await w.start(sb, [sb.manifestDir, '--resync', '600', '--debounce', '100']);
    await until('the table with both containers', () => hasTable() && elements('allowed4').length === 2, 15_000);
  });
  afterAll(() => {
    w.stop();
    sb.cleanup();
  });

  it('a deleted table is back, repaired by a run an nftables event triggered', async () => {
    await w.settled(1500, 15_000);
    const from = w.lines.length;
    expect(drift('delete', 'table', 'inet', table).some((i) => i.table?.name === table)).toBe(false);
    const back = (): boolean => hasTable() && elements('allowed4').length === 2 && rules('forward') > 0;
    await until('the table is back', back, 20_000);
    await until('the repair run is logged', () => repairedByEvent(from), 10_000);
    const repairs = w.lines.slice(from).filter((l) => l.event === 'drift-repair') as { kind?: string }[];
    expect(repairs.some((l) => l.kind === 'nftable')).toBe(true);
  });

  it('a deleted set element is back', async () => {
    await w.settled();
    const from = w.lines.length;
    const pairs = elements('allowed4').map((e) => (e as { concat: string[] }).concat);
    const [ip, dev] = pairs.find((c) => c[0] === '192.168.211.101')!;
    const left = drift('delete', 'element', 'inet', table, 'allowed4', `{ ${ip} . ${dev} }`);
    expect(elementsIn(left, 'allowed4')).toHaveLength(1);
    await until('the element is back', () => elements('allowed4').length === 2, 20_000);
    await until('the repair run is logged', () => repairedByEvent(from), 10_000);
  });

  it('a flushed forward chain gets its rules back', async () => {
    await w.settled();
    const from = w.lines.length;
    const before = rules('forward');
    expect(before).toBeGreaterThan(0);
    expect(rulesIn(drift('flush', 'chain', 'inet', table, 'forward'), 'forward')).toBe(0);
    await until('the rules are back', () => rules('forward') === before, 20_000);
    await until('the repair run is logged', () => repairedByEvent(from), 10_000);
  });

  it('its own nftables changes do not retrigger runs forever: the loop goes quiet', async () => {
    await w.settled(1500, 15_000);
    const n = w.lines.filter((l) => l.event === 'reconcile').length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(w.lines.filter((l) => l.event === 'reconcile').length).toBe(n);
  });

  it('a container removed from the manifests is logged as a prune, not as a drift repair', async () => {
    await w.settled();
    const from = w.lines.length;
    sb.remove('ct2.yaml');
    const gone = (): boolean => !sb.namespaces().includes(sb.ns('ct2')) && elements('allowed4').length === 1;
    await until('ct2 is gone', gone, 15_000);
    await w.settled();
    const after = w.lines.slice(from);
    expect(
      after.filter((l) => l.event === 'drift-repair'),
      JSON.stringify(after),
    ).toEqual([]);
    const prunes = after.filter((l) => l.event === 'prune');
    expect(
      prunes.some((l) => l.msg.includes(sb.ns('ct2'))),
      JSON.stringify(after),
    ).toBe(true);
  });
});
