import { commandLine } from './iproute2-render.js';
import type { ObservedState } from '../model/kernel.js';
import type { OpName } from '../model/ops.js';
import type { Batch, BatchOutcome, Driver, ObserveRequest } from './types.js';

/** Which operation to refuse: the `nth` (1-based) operation named `op` this process runs. */
export interface FailureRule {
  /** `step`: the last operation of the `nth` step (a call of `run`), when the rest of that step has been handed over. */
  readonly op: OpName | 'any' | 'step';
  readonly nth: number;
}

const RULE = /^([a-z-]+)(?::([1-9]\d*))?$/;
/** Every operation name, checked against the Op type: a new operation must be listed here to be failed. */
const OP_NAMES: Record<OpName, true> = {
  'netns-add': true,
  'netns-del': true,
  'netns-attach': true,
  'netns-detach': true,
  'link-add': true,
  'link-set': true,
  'link-del': true,
  'link-move': true,
  'link-del-group': true,
  'addr-add': true,
  'addr-del': true,
  'route-add': true,
  'route-replace': true,
  'route-del': true,
  'neigh-add': true,
  'neigh-replace': true,
  'neigh-del': true,
  'fdb-add': true,
  'fdb-del': true,
  'sysctl-set': true,
  'nft-table': true,
  'nft-delete': true,
};
const isOpName = (s: string): s is OpName => Object.hasOwn(OP_NAMES, s);

/**
 * `CTNET_FAIL_OP=<op>[:<n>]` (`link-add:3`, `sysctl-set`, `any:7`): the rule, or an error for a
 * value that names nothing. Contributors and tests use it to make a real failure happen at a chosen
 * step: the kernel is left exactly as a refusal there would leave it.
 */
export function failureRuleOf(text: string | undefined): FailureRule | Error | undefined {
  if (!text) return undefined;
  const m = RULE.exec(text);
  if (!m || (m[1] !== 'any' && m[1] !== 'step' && !isOpName(m[1])))
    return new Error(`CTNET_FAIL_OP must be <operation>[:<n>] (link-add:3, any:7, step:2), not "${text}"`);
  return { op: m[1], nth: m[2] ? Number(m[2]) : 1 };
}

/** `CTNET_FAIL_OP=link-add:3,link-del:1`: several rules, each refusing one operation (a rollback's own failure). */
export function failureRulesOf(text: string | undefined): FailureRule[] | Error | undefined {
  if (!text) return undefined;
  const rules = text.split(',').map(failureRuleOf);
  const bad = rules.find((r) => r instanceof Error);
  if (bad) return bad;
  return rules.filter((r): r is FailureRule => r !== undefined);
}

/** How far a rule has counted, and whether it has fired. */
export interface FailureCount {
  seen: number;
  fired: boolean;
}

/**
 * A driver that refuses one chosen operation and passes everything else to the real one. The
 * count follows the order operations are handed over (steps in order, batches in the plan's
 * order), not the order concurrent batches finish, so the same plan fails at the same place on
 * every run. The refused operation's batch stops there, as a kernel refusal stops it; the other
 * batches run. Nothing is refused before the kernel has done what came first.
 */
export class FailingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly rule: FailureRule,
    /** Shared by every driver of a process (select.ts): a rule fires once, however many drivers are made. */
    private readonly count: FailureCount = { seen: 0, fired: false },
  ) {}

  get hostNetns(): string | null {
    return this.inner.hostNetns;
  }

  listNetns(): Promise<string[]> {
    return this.inner.listNetns();
  }

  observe(req: ObserveRequest): Promise<ObservedState> {
    return this.inner.observe(req);
  }

  async run(batches: readonly Batch[]): Promise<BatchOutcome[]> {
    const at = this.count.fired ? undefined : this.locate(batches);
    if (!at) return this.inner.run(batches);
    this.count.fired = true;
    const cut = batches.map((b, i) => (i === at.batch ? { ...b, ops: b.ops.slice(0, at.index) } : b));
    const outcomes = await this.inner.run(cut);
    const op = batches[at.batch].ops[at.index];
    const before = outcomes[at.batch];
    // a refusal of what came first in the batch stops it before the injected one: that one stands
    if (before.failures.length) return outcomes;
    const failure = {
      index: at.index,
      command: commandLine(op, this.inner.hostNetns),
      message: `refused on purpose (CTNET_FAIL_OP=${this.rule.op}:${this.rule.nth})`,
    };
    return outcomes.map((o, i) => (i === at.batch ? { ran: at.index + 1, failures: [failure] } : o));
  }

  private locate(batches: readonly Batch[]): { batch: number; index: number } | undefined {
    if (this.rule.op === 'step') {
      const last = batches.map((b) => b.ops.length > 0).lastIndexOf(true);
      if (++this.count.seen !== this.rule.nth || last < 0) return undefined;
      return { batch: last, index: batches[last].ops.length - 1 };
    }
    for (const [batch, b] of batches.entries()) {
      for (const [index, op] of b.ops.entries()) {
        if (this.rule.op !== 'any' && op.op !== this.rule.op) continue;
        if (++this.count.seen === this.rule.nth) return { batch, index };
      }
    }
    return undefined;
  }
}
