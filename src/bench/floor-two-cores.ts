import { randomBytes } from 'node:crypto';
import { layout, type Layout } from './layout.js';
import { applyScript, buildFloor, exec, observeScript } from './physical-floor.js';
import { cleanupOnSignals, clearNamespaces, makeHost, removeAll } from './sandbox.js';

/**
 * `node dist/bench/floor-two-cores.js [N] [runs]`: would a second core make the kernel work of an
 * apply faster? The physical floor makes the namespaces and the host-wide objects, then the
 * per-container objects either in one process or split between two processes at once; it also
 * reads every namespace's tables in one or two processes. If two processes gain little, a worker
 * thread in ctnet (which also has to start an isolate and its modules) cannot gain more.
 */
const N = Number(process.argv[2] ?? 1000);
const RUNS = Number(process.argv[3] ?? 3);
const PREFIX = `ctbtc${randomBytes(3).toString('hex')}`;

const firstVeth = (lines: string[]): number => lines.findIndex((l) => l.startsWith('veth '));
/** The per-container lines of every other container, starting at `k`, run from the host. */
function half(lay: Layout, k: number): string[] {
  const lines = applyScript({ ...lay, cts: lay.cts.filter((_, i) => i % 2 === k) });
  return [`enter ${lay.host}`, ...lines.slice(firstVeth(lines))];
}
const seconds = async (f: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
};

async function once(run: number, two: boolean): Promise<{ head: number; rest: number; read: number }> {
  const lay = layout(`${PREFIX}${run}${two ? 't' : 'o'}`, 'x', N);
  await makeHost(lay.host);
  const all = applyScript(lay);
  const head = await exec(all.slice(0, firstVeth(all)));
  const [a, b] = [half(lay, 0), half(lay, 1)];
  const rest = await seconds(() => (two ? Promise.all([exec(a), exec(b)]) : exec(a).then(() => exec(b))));
  const names = [lay.host, ...lay.cts.map((c) => c.ns)];
  const readOf = (k: number): string[] =>
    names.filter((_, i) => i % 2 === k).flatMap((ns) => observeScript({ ...lay, host: ns, cts: [] }));
  const read = await seconds(() => (two ? Promise.all([exec(readOf(0)), exec(readOf(1))]) : exec(observeScript(lay))));
  await clearNamespaces(lay.nsPrefix);
  return { head, rest, read };
}

async function main(): Promise<void> {
  const built = buildFloor();
  if (!built.ok) throw new Error(`the physical floor cannot be built: ${built.why}`);
  cleanupOnSignals(PREFIX);
  const none = (): Record<'head' | 'rest' | 'read', number> => ({ head: Infinity, rest: Infinity, read: Infinity });
  const best = { one: none(), two: none() };
  for (let r = 0; r < RUNS; r++)
    for (const two of r % 2 ? [true, false] : [false, true]) {
      const t = await once(r, two);
      const b = best[two ? 'two' : 'one'];
      for (const k of ['head', 'rest', 'read'] as const) b[k] = Math.min(b[k], t[k]);
    }
  const f = (s: number): string => `${s.toFixed(3)} s`;
  console.log(`N = ${N}, minimum of ${RUNS} runs`);
  console.log(`namespaces and host-wide objects, one process: ${f(best.one.head)}`);
  for (const k of ['rest', 'read'] as const)
    console.log(
      `${k === 'rest' ? 'per-container objects' : 'reading every table'}: one process ${f(best.one[k])}, ` +
        `two at once ${f(best.two[k])} (${(best.two[k] / best.one[k]).toFixed(2)}×)`,
    );
}

main()
  .catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  })
  .finally(() => removeAll(PREFIX));
