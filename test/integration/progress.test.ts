import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Sandbox } from './sandbox.js';

const BIN = resolve(import.meta.dirname, '../../bin/ctnet.js');
/**
 * Each step of a run waits this long first (the CTNET_STEP_DELAY_MS hook): one step alone outlasts
 * the second after which progress shows, so the run is long by construction, not by load.
 */
const STEP_DELAY_MS = '1500';
const PROGRESS = /(apply|verify) \d+\/\d+ actions, \d+\.\ds/;

/** No progress text, and no spinner (it hides the cursor while it spins). */
function expectNoProgress(screen: string): void {
  expect(screen).not.toMatch(PROGRESS);
  expect(screen).not.toContain('\u001b[?25l');
}

/**
 * ctnet under a pseudo-terminal (util-linux `script`): stdout and stderr are the pty unless the
 * command line sends them elsewhere. Returns what the terminal showed.
 */
function onTerminal(sb: Sandbox, args: string): { code: number; screen: string } {
  const line = `node ${BIN} --host-netns ${sb.host} --state-dir ${sb.stateDir} ${args}`;
  // a person's terminal: the spinner library animates only where CI is not set and TERM is not dumb
  const { CI: _ci, ...env } = process.env;
  const r = spawnSync('script', ['-qfec', line, '/dev/null'], {
    encoding: 'utf8',
    env: { ...env, TERM: 'xterm', CTNET_STEP_DELAY_MS: STEP_DELAY_MS },
  });
  return { code: r.status ?? 1, screen: r.stdout };
}

describe('progress of a long apply or destroy, on a terminal only', () => {
  const sb = new Sandbox();
  const cts = ['p1', 'p2', 'p3'];
  sb.write(
    'cts.yaml',
    cts
      .map((c) => `apiVersion: ctnet/v1\nkind: Container\nmetadata: {name: ${c}}\nspec: {netns: "@${c}"}\n`)
      .join('---\n'),
  );
  const made = () => cts.filter((c) => sb.namespaces().includes(sb.ns(c))).length;
  afterAll(() => {
    sb.ctnet('destroy', '-q');
    sb.cleanup();
  });

  it('apply on a terminal shows the phase, done/total and the elapsed time on stderr', () => {
    const r = onTerminal(sb, `apply ${sb.manifestDir}`);
    expect(r.code).toBe(0);
    expect(r.screen).toMatch(PROGRESS);
    expect(r.screen).toContain('\u001b[?25l');
    expect(r.screen).toMatch(/Apply complete/);
    expect(made()).toBe(3);
  });

  it('stderr not a terminal (stdout still one): nothing', () => {
    const err = join(sb.dir, 'stderr.txt');
    const r = onTerminal(sb, `destroy 2>${err}`);
    expect(r.code).toBe(0);
    expect(made()).toBe(0);
    expectNoProgress(r.screen);
    expect(readFileSync(err, 'utf8')).toBe('');
  });

  it('--json: one document on the terminal, no progress', () => {
    const r = onTerminal(sb, `--json apply ${sb.manifestDir}`);
    expect(r.code).toBe(0);
    expect(made()).toBe(3);
    expectNoProgress(r.screen);
    expect(JSON.parse(r.screen)).toMatchObject({ result: 'applied' });
  });

  it('-q: nothing at all on the terminal', () => {
    const r = onTerminal(sb, `-q destroy`);
    expect(r.code).toBe(0);
    expect(made()).toBe(0);
    expect(r.screen).toBe('');
  });

  it('destroy on a terminal shows it too', () => {
    expect(sb.ctnet('apply', '-q', sb.manifestDir).code).toBe(0);
    const r = onTerminal(sb, 'destroy');
    expect(r.code).toBe(0);
    expect(made()).toBe(0);
    expect(r.screen).toMatch(PROGRESS);
  });
});
