import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { marked } from 'marked';
import { Sandbox, expectExit } from './sandbox.js';
import { hostState, settled } from './host-state.js';
import { container, docs, routedNet } from '../fixtures.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/ctnet.js');
const NET = routedNet('public', '192.168.245.0/24', ', uplink: enp0s5');
const ct = (n: number): string => container(`c${n}`, `{name: venet0, network: public, addresses: [192.168.245.${n}]}`);

type Step = { id?: string; run?: string };
const github = parse(readFileSync(join(ROOT, 'deploy/ci/github-actions.yml'), 'utf8')) as {
  jobs: { plan: { env: Record<string, string>; steps: Step[] } };
};
const gitlab = parse(readFileSync(join(ROOT, 'deploy/ci/gitlab-ci.yml'), 'utf8')) as {
  'ctnet-plan': { variables: Record<string, string>; script: string[] };
};

/**
 * The CI recipes in deploy/ci/, their commands run here as the runners would run them, in a
 * checkout of a manifests repository: validate, then plan offline against a real host snapshot,
 * as markdown for the pull request. Nothing touches the host the snapshot came from.
 */
describe('the CI recipes for pull requests', () => {
  const sb = new Sandbox();
  const repo = join(sb.dir, 'repo');
  /** Runs one of the recipe's shell lines in the repository, ctnet being this checkout's. */
  const runLine = (line: string, env: Record<string, string>) =>
    spawnSync('bash', ['-c', line], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, ...env, CTNET: `node ${BIN}` },
    });
  const review = () => readFileSync(join(repo, 'ctnet-plan.md'), 'utf8');
  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.245.1/24', '192.168.245.254/24');
    sb.write('m.yaml', docs(NET, ct(11)));
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
    mkdirSync(join(repo, 'manifests'), { recursive: true });
    mkdirSync(join(repo, 'hosts'));
    mkdirSync(join(repo, 'deploy/ci'), { recursive: true });
    copyFileSync(join(ROOT, 'deploy/ci/plan-review.sh'), join(repo, 'deploy/ci/plan-review.sh'));
    // taken on the host, kept with the manifests
    writeFileSync(join(repo, 'hosts/web1.json'), expectExit(sb.ctnet('snapshot'), 0).stdout);
  });
  afterAll(() => sb.cleanup());

  it('GitHub Actions: the plan step writes one review with a section per host and per owner', () => {
    writeFileSync(
      join(repo, 'manifests/m.yaml'),
      readFileSync(join(sb.manifestDir, 'm.yaml'), 'utf8') + '---\n' + ct(12).replaceAll('@', `${sb.prefix}-`),
    );
    settled(sb.host); // the kernel's own link-locals finish their address detection on its clock
    const before = hostState(sb.host);
    const step = github.jobs.plan.steps.find((s) => s.id === 'plan')!;
    const r = runLine(step.run!, github.jobs.plan.env);
    expect(r.status, r.stderr).toBe(0);
    const tokens = marked.lexer(review());
    expect(tokens[0]).toMatchObject({ type: 'heading', text: 'ctnet plan review' });
    expect(tokens.some((t) => t.type === 'heading' && t.text === 'Host `web1`')).toBe(true);
    const owners = tokens.filter((t) => t.type === 'html' && t.raw.startsWith('<details>')).map((t) => t.raw);
    expect(owners.some((o) => o.includes('<summary>container/c12: '))).toBe(true);
    expect(hostState(sb.host)).toEqual(before);
  });

  it('GitLab CI: refused manifests fail the job, and the review shows why', () => {
    writeFileSync(join(repo, 'manifests/bad.yaml'), ct(13).replace('192.168.245.13', '192.168.245.300'));
    const line = gitlab['ctnet-plan'].script.find((l) => l.includes('plan-review.sh'))!;
    const r = runLine(`${line}; exit $status`, gitlab['ctnet-plan'].variables);
    expect(r.status).toBe(3);
    const text = review();
    expect(text).toMatch(/\*\*The manifests are refused\*\*/);
    expect(text).toMatch(/bad\.yaml:\d+:\d+: spec\.interfaces\[0\]\.addresses\[0\]/);
    expect(text).toMatch(/Not planned: the manifests are refused/);
  });
});
