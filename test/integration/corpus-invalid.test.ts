import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Sandbox, hostSnapshot, sh } from './sandbox.js';
import { validate } from '../../src/engine/inspect.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { exitCodeFor, formatError } from '../../src/model/errors.js';

/**
 * The corpus of invalid manifest sets (test/corpus/README.md): every case is refused by
 * `validate` and by `apply` with exit 3 and every expected `file:line:col: path: message` line,
 * and the host namespace (links, addresses, routes, neighbours, nftables) and the namespace list
 * are as they were. One sandbox for all; a few cases at once, most in this process (see `here`).
 */
const CORPUS = resolve(import.meta.dirname, '../corpus/invalid');
const BIN = resolve(import.meta.dirname, '../../bin/ctnet.js');
const PARALLEL = 4;
/** `CORPUS_RECORD=1`: write what apply printed into each case without errors yet, for review. */
const RECORD = process.env.CORPUS_RECORD === '1';

interface Case {
  readonly name: string;
  readonly why: string;
  readonly errors: readonly (string | { readonly match: string })[];
  readonly setup?: readonly (readonly string[])[];
  readonly validate?: boolean;
}

const caseOf = (name: string): Case => ({ name, ...JSON.parse(readFileSync(join(CORPUS, name, 'case.json'), 'utf8')) });
const cases: Case[] = readdirSync(CORPUS).sort().map(caseOf);

interface Run {
  readonly code: number;
  readonly lines: string[];
}

/**
 * A column in the file as the case writes it: `@` became the sandbox's prefix (`ctt1a2b3c-`), so
 * a place after one on its line moved right by the prefix's length less one.
 */
function caseColumn(original: string, line: number, column: number, grow: number): number {
  const text = original.split('\n')[line - 1] ?? '';
  let shift = 0;
  for (let i = text.indexOf('@'); i >= 0 && column - 1 > i + shift; i = text.indexOf('@', i + 1)) shift += grow;
  return column - shift;
}

/** `error: /tmp/…/case/a.yaml:4:7: …` → `a.yaml:4:7: …`, as the case writes it. */
function caseLines(sb: Sandbox, c: Case, dir: string, stderr: string): string[] {
  const place = (all: string, f: string, line: string, col: string): string => {
    const src = join(CORPUS, c.name, f);
    if (!existsSync(src)) return all;
    return `${f}:${line}:${caseColumn(readFileSync(src, 'utf8'), Number(line), Number(col), sb.prefix.length)}: `;
  };
  return stderr
    .split('\n')
    .filter((l) => l.trim())
    .map((l) =>
      l
        .replace(/^error: /, '')
        .replaceAll(`${dir}/`, '')
        .replace(/^([\w.-]+):(\d+):(\d+): /, place),
    );
}

/** `apply` as a user runs it, for the cases that set the kernel up first: the command, its exit code, its stderr. */
function apply(sb: Sandbox, c: Case, dir: string): Promise<Run> {
  const args = [
    BIN,
    '--host-netns',
    sb.host,
    '--state-dir',
    join(sb.dir, `state-${c.name}`),
    '--no-color',
    'apply',
    dir,
  ];
  return new Promise((res) => {
    const child = spawn('node', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => res({ code: code ?? 1, lines: caseLines(sb, c, dir, err) }));
  });
}

/**
 * `validate` and `apply` in this process, as their commands print them (`warning: ` notices,
 * `error: ` and each formatted error; exit 3): a process per case would cost the corpus most of
 * its time for nothing the command-line runs (the cases that set the kernel up) do not show.
 */
async function here(sb: Sandbox, c: Case, cmd: 'validate' | 'apply', dir: string): Promise<Run> {
  const r =
    cmd === 'validate'
      ? { ...(await validate([dir])), notices: [] }
      : await reconcile({ mode: 'apply', paths: [dir], stateDir: join(sb.dir, `state-${c.name}`), hostNetns: sb.host });
  const stderr = [...r.notices.map((n) => `warning: ${n}`), ...r.errors.map((e) => `error: ${formatError(e)}`)];
  return { code: r.errors.length ? exitCodeFor(r.errors) : 0, lines: caseLines(sb, c, dir, stderr.join('\n')) };
}

async function pooled<T, R>(items: readonly T[], fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]);
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return out;
}

/** Namespaces that exist, less those naming another test's sandbox or the demo's (they come and go meanwhile). */
const namespaces = (sb: Sandbox): string[] =>
  readdirSync('/run/netns')
    .filter((n) => n.includes(sb.prefix) || !/ctt[0-9a-f]{6}|^ctnet-demo/.test(n))
    .sort();
const nftables = (sb: Sandbox): unknown => {
  const all = JSON.parse(sh('ip', 'netns', 'exec', sb.host, 'nft', '-j', 'list', 'ruleset')).nftables as object[];
  return all.filter((x) => !('metainfo' in x));
};

describe('the corpus of invalid manifest sets: exit 3, located, nothing changed', () => {
  const sb = new Sandbox();
  const at = (text: string): string => text.replaceAll('@', `${sb.prefix}-`);
  const dirOf = (c: Case): string => join(sb.dir, 'cases', c.name);
  let before: { host: unknown; nft: unknown; ns: string[] };
  const runs = new Map<string, { validate?: Run; apply: Run }>();

  beforeAll(async () => {
    for (const c of cases) {
      cpSync(join(CORPUS, c.name), dirOf(c), { recursive: true, filter: (src) => !src.endsWith('case.json') });
      for (const f of readdirSync(dirOf(c))) {
        const file = join(dirOf(c), f);
        writeFileSync(file, at(readFileSync(file, 'utf8')));
      }
      // argv straight to ip, in the namespace playing the host: no shell
      for (const args of c.setup ?? []) execFileSync('ip', ['-n', sb.host, ...args.map(at)], { stdio: 'pipe' });
    }
    before = { host: hostSnapshot(sb.host), nft: nftables(sb), ns: namespaces(sb) };
    await pooled(cases, async (c) => {
      const v = c.validate === false ? undefined : await here(sb, c, 'validate', dirOf(c));
      const a = c.setup ? await apply(sb, c, dirOf(c)) : await here(sb, c, 'apply', dirOf(c));
      runs.set(c.name, { validate: v, apply: a });
    });
    if (RECORD) record(cases, runs, sb.prefix);
  }, 240_000);
  afterAll(() => sb.cleanup());

  it('holds at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const r = runs.get(c.name)!;
    expect(c.errors.length, `${c.name}: case.json lists no errors`).toBeGreaterThan(0);
    for (const [cmd, run] of [
      ['validate', r.validate],
      ['apply', r.apply],
    ] as const) {
      if (!run) continue;
      const shown = `${cmd} ${c.name}:\n${run.lines.join('\n')}`;
      expect(run.code, shown).toBe(3);
      // every line names its place
      for (const l of run.lines) expect(l, shown).toMatch(/^[\w.-]+\.ya?ml:\d+:\d+: \S/);
      for (const e of c.errors) {
        if (typeof e === 'string') expect(run.lines, shown).toContain(at(e));
        else
          expect(
            run.lines.some((l) => new RegExp(at(e.match)).test(l)),
            `${shown}\nwanted /${e.match}/`,
          ).toBe(true);
      }
    }
  });

  it('left the host namespace, its nftables and the namespace list as they were', () => {
    expect(hostSnapshot(sb.host)).toEqual(before.host);
    expect(nftables(sb)).toEqual(before.nft);
    expect(namespaces(sb)).toEqual(before.ns);
  });
});

function record(list: readonly Case[], runs: ReadonlyMap<string, { apply: Run }>, prefix: string): void {
  for (const c of list) {
    const p = join(CORPUS, c.name, 'case.json');
    const j = JSON.parse(readFileSync(p, 'utf8'));
    if (j.errors?.length || !existsSync(p)) continue;
    j.errors = runs.get(c.name)!.apply.lines.map((l) => l.replaceAll(`${prefix}-`, '@'));
    writeFileSync(p, `${JSON.stringify(j, null, 2)}\n`);
  }
}
