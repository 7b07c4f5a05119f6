import { describe, expect, it } from 'vitest';
import { FailingDriver, failureRuleOf, failureRulesOf } from '../../../src/driver/failing.js';
import type { Batch } from '../../../src/driver/types.js';
import { targetOf, type Op } from '../../../src/model/ops.js';
import { FakeDriver } from '../apply/fake-driver.js';

const route = (dst: string): Op => ({
  op: 'route-add',
  ns: null,
  route: { family: 4, dst, dev: 'eth0', protocol: 241 },
});
const netns = (name: string): Op => ({ op: 'netns-add', name });
const batches = (): Batch[] => [
  { target: targetOf(netns('a')), ops: [netns('a'), netns('b')] },
  { target: targetOf(route('x')), ops: [route('10.0.0.1/32'), route('10.0.0.2/32'), route('10.0.0.3/32')] },
];

describe('failure injection (CTNET_FAIL_OP)', () => {
  it('reads <op>[:<n>], and refuses what names nothing', () => {
    expect(failureRuleOf(undefined)).toBeUndefined();
    expect(failureRuleOf('link-add')).toEqual({ op: 'link-add', nth: 1 });
    expect(failureRuleOf('any:7')).toEqual({ op: 'any', nth: 7 });
    expect(failureRuleOf('route-add:0')).toBeInstanceOf(Error);
    expect(failureRuleOf('everything')).toBeInstanceOf(Error);
    expect(failureRuleOf('link add; rm -rf /')).toBeInstanceOf(Error);
  });

  it('refuses the nth operation of a kind in plan order; its batch stops there, the others run', async () => {
    const fake = new FakeDriver();
    const d = new FailingDriver(fake, { op: 'route-add', nth: 2 });
    const out = await d.run(batches());
    expect(out[0]).toEqual({ ran: 2, failures: [] });
    expect(out[1].ran).toBe(2);
    expect(out[1].failures).toEqual([
      {
        index: 1,
        command: 'ip -n h route add 10.0.0.2/32 dev eth0 proto 241',
        message: expect.stringMatching(/on purpose/),
      },
    ]);
    // the kernel saw the operations before the refused one, and nothing after it
    expect(fake.batches[1]).toEqual(['ip -n h route add 10.0.0.1/32 dev eth0 proto 241']);
  });

  it('counts across calls, and fires once', async () => {
    const fake = new FakeDriver();
    const d = new FailingDriver(fake, { op: 'any', nth: 7 });
    expect((await d.run(batches())).every((o) => o.failures.length === 0)).toBe(true);
    const second = await d.run(batches());
    // 5 operations per call: the 7th is the second namespace of the second call
    expect(second[0].failures.map((f) => f.index)).toEqual([1]);
    expect(second[1].failures).toEqual([]);
    expect((await d.run(batches())).every((o) => o.failures.length === 0)).toBe(true);
  });

  it('counts with every driver that shares its count (a watch makes one per run), and fires once', async () => {
    const count = { seen: 0, fired: false };
    const first = new FailingDriver(new FakeDriver(), { op: 'step', nth: 2 }, count);
    expect((await first.run(batches())).every((o) => o.failures.length === 0)).toBe(true);
    const second = new FailingDriver(new FakeDriver(), { op: 'step', nth: 2 }, count);
    expect((await second.run(batches()))[1].failures.map((f) => f.index)).toEqual([2]);
    const third = new FailingDriver(new FakeDriver(), { op: 'step', nth: 2 }, count);
    for (let i = 0; i < 3; i++) expect((await third.run(batches())).every((o) => o.failures.length === 0)).toBe(true);
  });

  it('step:K refuses the last operation of the K-th step, once the rest of that step was handed over', async () => {
    const fake = new FakeDriver();
    const d = new FailingDriver(fake, { op: 'step', nth: 2 });
    expect((await d.run(batches())).every((o) => o.failures.length === 0)).toBe(true);
    const second = await d.run(batches());
    expect(second[0]).toEqual({ ran: 2, failures: [] });
    expect(second[1].failures.map((f) => f.index)).toEqual([2]);
    expect(fake.batches.at(-1)).toEqual([
      'ip -n h route add 10.0.0.1/32 dev eth0 proto 241',
      'ip -n h route add 10.0.0.2/32 dev eth0 proto 241',
    ]);
  });

  it('reads several rules, comma-separated (a run and its rollback each refused once)', () => {
    expect(failureRulesOf('step:3,link-del')).toEqual([
      { op: 'step', nth: 3 },
      { op: 'link-del', nth: 1 },
    ]);
    expect(failureRulesOf('step:3,nothing')).toBeInstanceOf(Error);
  });
});
