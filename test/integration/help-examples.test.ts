import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HELP_EXAMPLES } from '../../src/cli/help-examples.js';
import { buildDemoLans, lansOf } from '../../src/demo/host.js';
import { Sandbox, expectExit } from './sandbox.js';
import { writeExamples } from './example-world.js';
import { freePort, until } from './watch-harness.js';
import { svgNodes } from '../unit/graph/fixtures.js';

const BIN = resolve(import.meta.dirname, '../../bin/ctnet.js');
/** vzctl configs for `import openvz`'s example: real published ones and some written after them. */
const OPENVZ_CONFS = resolve(import.meta.dirname, '../unit/fixtures/openvz');
const helps = new Map<string, string>();
/** `ctnet [CMD] --help`, once per command. */
function help(...cmd: string[]): string {
  const key = cmd.join(' ');
  if (!helps.has(key)) helps.set(key, spawnSync('node', [BIN, ...cmd, '--help'], { encoding: 'utf8' }).stdout);
  return helps.get(key)!;
}

/** The commands `ctnet --help` lists (commander's own `help` aside): a new command is checked too. */
function listedCommands(): string[] {
  const out = help();
  const block = out.slice(out.indexOf('Commands:'), out.indexOf('Example:'));
  return [...block.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]).filter((c) => c !== 'help');
}

/** An example line as argv lists: `a && b` is two runs, `> FILE` sends a run's output to FILE. */
const runsOf = (line: string): string[][] => line.split(' && ').map((s) => s.split(' '));

describe('every --help shows an example', () => {
  const commands = listedCommands();

  it('lists the commands the examples are written for', () => {
    expect(commands).toEqual(Object.keys(HELP_EXAMPLES).filter((k) => k !== 'ctnet'));
  });

  it.each(['ctnet', ...commands])('%s --help ends with its example', (name) => {
    const out = name === 'ctnet' ? help() : help(name);
    const e = HELP_EXAMPLES[name];
    expect(out).toMatch(/\nExample:\n {2}# .+\n {2}ctnet .+\n$/);
    expect(out).toContain(`  ${e.line}\n`);
    for (const run of runsOf(e.line)) expect(run[0]).toBe('ctnet');
    if (name !== 'ctnet') expect(runsOf(e.line)[0][1]).toBe(name);
  });

  it('every option an example uses is one its command (or ctnet itself) has', () => {
    const globals = help();
    for (const e of Object.values(HELP_EXAMPLES))
      for (const [, cmd, ...args] of runsOf(e.line)) {
        const own = help(cmd);
        for (const flag of args.filter((a) => a.startsWith('-')))
          expect(`${own}\n${globals}`, `${flag} of "${e.line}"`).toMatch(new RegExp(`(^|[ ,])${flag}\\b`, 'm'));
      }
  });
});

/**
 * Each example run as written on the shipped manifests, in a sandbox playing the demo's host:
 * only the directory (/etc/ctnet/manifests), host.json and the metrics port are this test's own.
 */
describe('the examples run as written', () => {
  const sb = new Sandbox();
  const lans = lansOf(`${sb.prefix}-`);
  const local = (line: string): string =>
    line
      .replaceAll('/etc/ctnet/manifests', sb.manifestDir)
      .replaceAll('host.json', join(sb.dir, 'host.json'))
      .replaceAll('plan.json', join(sb.dir, 'plan.json'))
      .replaceAll('/etc/vz/conf', OPENVZ_CONFS)
      .replaceAll('ctnet.schema.json', join(sb.dir, 'ctnet.schema.json'))
      .replaceAll('imported.yaml', join(sb.dir, 'imported.yaml'));
  /** Runs an example's commands in turn, as the shell would with `&&`; returns the last run. */
  const run = (name: string) => {
    let last = { code: 0, stdout: '', stderr: '' };
    for (const [, ...args] of runsOf(local(HELP_EXAMPLES[name].line))) {
      const to = args.indexOf('>');
      last = expectExit(sb.ctnet(...(to < 0 ? args : args.slice(0, to))), 0);
      if (to >= 0) writeFileSync(args[to + 1], last.stdout);
    }
    return last;
  };
  beforeAll(() => {
    buildDemoLans(sb.host, lans);
    writeExamples(sb);
  });
  afterAll(() => {
    sb.ctnet('destroy', '-q');
    sb.cleanup();
  });

  it('ctnet, validate, plan, apply: converged, then nothing to do', () => {
    run('ctnet');
    run('validate');
    run('plan');
    run('apply');
  });

  it('status, snapshot and destroy --dry-run read and change nothing', () => {
    const status = JSON.parse(run('status').stdout) as { namespaces: { name: string }[]; drift: unknown[] };
    expect(status.namespaces.map((n) => n.name)).toContain(sb.ns('ct101'));
    expect(status.drift).toEqual([]);
    expect(run('snapshot').stdout).toMatch(/No changes/);
    expect(run('destroy').stdout).toContain(sb.ns('ct101'));
    run('plan');
  });

  it('graph -o svg draws the manifests, offline: a node for every network, container and VM', () => {
    const ids = svgNodes(run('graph').stdout).map((n) => n.id);
    for (const name of ['network-public', 'network-lan', 'container-ct101', 'container-tool', 'vm-db1'])
      expect(ids).toContain(name);
  });

  it("set ct101 --ipadd --save writes the address into ct101's manifest and applies it", () => {
    run('set');
    expect(readFileSync(join(sb.manifestDir, 'routed/containers.yaml'), 'utf8')).toContain('192.168.200.110');
    run('plan');
  });

  it('show prints a saved plan as the commands it will run', () => {
    sb.write(
      'routed/extra2.yaml',
      'apiVersion: ctnet/v1\nkind: Container\nmetadata: {name: cy}\nspec: {netns: "@cy"}\n',
    );
    expectExit(sb.ctnet('plan', '-q', sb.manifestDir, '--out', join(sb.dir, 'plan.json')), 0);
    expect(run('show').stdout).toMatch(/ip netns add \S+-cy/);
    sb.remove('routed/extra2.yaml');
  });

  it('confirm keeps a change apply --confirm made', () => {
    sb.write(
      'routed/extra.yaml',
      'apiVersion: ctnet/v1\nkind: Container\nmetadata: {name: cx}\nspec: {netns: "@cx"}\n',
    );
    expectExit(sb.ctnet('apply', '-q', '--confirm', '120', sb.manifestDir), 0);
    expect(run('confirm').stdout).toMatch(/Confirmed/);
    run('plan');
  });

  it('import openvz prints manifests of the configs that validate, and changes nothing', () => {
    run('import');
    const yaml = readFileSync(join(sb.dir, 'imported.yaml'), 'utf8');
    expect(yaml).toContain('kind: Container');
    run('plan');
  });

  it('schema saves the shipped schema; explain describes a field', () => {
    run('schema');
    const saved = readFileSync(join(sb.dir, 'ctnet.schema.json'), 'utf8');
    expect(saved).toBe(readFileSync(resolve(import.meta.dirname, '../../schemas/ctnet.schema.json'), 'utf8'));
    expect(run('explain').stdout).toMatch(/FIELD: +spec\.interfaces <\[\]object>/);
  });

  it('watch serves /healthz on the address given, then stops on SIGTERM', async () => {
    const port = await freePort();
    const [, ...args] = runsOf(local(HELP_EXAMPLES.watch.line).replace(':9463', `:${port}`))[0];
    const bg = sb.ctnetBackground(args);
    const healthy = async (): Promise<boolean> =>
      (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200;
    try {
      await until('watch healthy', healthy, 20_000);
    } finally {
      bg.kill('SIGTERM');
    }
    expect((await bg.done).code).toBe(0);
  });
});
