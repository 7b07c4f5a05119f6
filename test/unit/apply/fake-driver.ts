import type { Batch, BatchOutcome, Driver } from '../../../src/driver/types.js';
import { commandLine } from '../../../src/driver/iproute2-render.js';
import { emptyNs, type ObservedState } from '../../../src/model/kernel.js';

/**
 * A driver that runs nothing: it records the batches it is given and refuses the operations
 * whose command line matches `refuse`. For fast tests of scheduling and failure handling; the
 * kernel itself is tested in test/integration.
 */
export class FakeDriver implements Driver {
  readonly hostNetns = 'h';
  readonly batches: string[][] = [];
  constructor(
    private readonly refuse: RegExp = /$^/,
    private readonly state: ObservedState = { host: emptyNs(), netnsNames: [], namespaces: {} },
  ) {}

  listNetns(): Promise<string[]> {
    return Promise.resolve([...this.state.netnsNames]);
  }

  observe(): Promise<ObservedState> {
    return Promise.resolve(this.state);
  }

  run(batches: readonly Batch[]): Promise<BatchOutcome[]> {
    const outcomes = batches.map((b): BatchOutcome => {
      const lines = b.ops.map((op) => commandLine(op, this.hostNetns));
      const bad = lines.findIndex((l) => this.refuse.test(l));
      this.batches.push(bad < 0 ? lines : lines.slice(0, bad + 1));
      if (bad < 0) return { ran: lines.length, failures: [] };
      return {
        ran: bad + 1,
        failures: [{ index: bad, command: lines[bad], message: 'RTNETLINK answers: Operation not permitted' }],
      };
    });
    return Promise.resolve(outcomes);
  }
}
