import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The deployment files (deploy/) are what operators install unchanged: the Kubernetes objects must
 * be valid against the Kubernetes API schema (kubernetes-models, generated from it), and both the
 * DaemonSet and the systemd unit must read the whole repository and pick this host by `--node`.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const K8S_DIR = join(ROOT, 'deploy/kubernetes');
const UNIT = join(ROOT, 'deploy/ctnet-watch.service');

interface K8sObject {
  apiVersion: string;
  kind: string;
  [field: string]: any;
}
interface ModelClass {
  new (data: K8sObject): { validate(): void };
  readonly apiVersion: string;
  readonly kind: string;
}

/** Every YAML document of every file in deploy/kubernetes/, with the file it came from. */
function k8sDocuments(): { file: string; obj: K8sObject }[] {
  const files = readdirSync(K8S_DIR).filter((f) => /\.ya?ml$/.test(f));
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8')).map((d) => {
      expect(d.errors, file).toEqual([]);
      return { file, obj: d.toJS() as K8sObject };
    }),
  );
}

/** The model class for an object: kubernetes-models has one module per apiVersion ("v1", "apps/v1"). */
async function modelFor(obj: K8sObject): Promise<ModelClass> {
  // a computed specifier, resolved by Node at run time: vite cannot and need not analyse it
  const specifier = `kubernetes-models/${obj.apiVersion}`;
  const mod = (await import(/* @vite-ignore */ specifier)) as Record<string, ModelClass | undefined>;
  const model = mod[obj.kind];
  if (!model) throw new Error(`no model for ${obj.apiVersion} ${obj.kind}`);
  expect([model.apiVersion, model.kind]).toEqual([obj.apiVersion, obj.kind]);
  return model;
}

function daemonSet(): K8sObject {
  const found = k8sDocuments().find((d) => d.obj.kind === 'DaemonSet');
  if (!found) throw new Error('no DaemonSet in deploy/kubernetes/');
  return found.obj;
}

describe('deploy/kubernetes', () => {
  it('every object is valid against the Kubernetes API schema', async () => {
    const docs = k8sDocuments();
    expect(docs.length).toBeGreaterThan(0);
    for (const { obj } of docs) {
      const Model = await modelFor(obj);
      expect(() => new Model(obj).validate()).not.toThrow();
    }
  });

  it('the validator rejects a wrong field type and a missing required field', async () => {
    const ds = daemonSet();
    const Model = await modelFor(ds);
    const numberArgs = structuredClone(ds);
    numberArgs.spec.template.spec.containers[0].args = 30;
    expect(() => new Model(numberArgs).validate()).toThrow(/containers\/0\/args must be array/);
    const unquoted = structuredClone(ds);
    unquoted.spec.template.spec.containers[0].args.push(30);
    expect(() => new Model(unquoted).validate()).toThrow(/must be string/);
    const noSelector = structuredClone(ds);
    delete noSelector.spec.selector;
    expect(() => new Model(noSelector).validate()).toThrow(/required property selector/);
  });

  it('the DaemonSet reads the whole repository and passes the node name as --node', () => {
    const containers = daemonSet().spec.template.spec.containers as K8sObject[];
    const ctnet = containers.find((c) => c.name === 'ctnet');
    if (!ctnet) throw new Error('no ctnet container');
    const args = ctnet.args as string[];
    expect(args.slice(0, 2)).toEqual(['watch', '/manifests/current']);
    expect(args[args.indexOf('--node') + 1]).toBe('$(NODE_NAME)');
    const env = (ctnet.env as K8sObject[]).find((e) => e.name === 'NODE_NAME');
    expect(env?.valueFrom).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
  });
});

describe('deploy/ctnet-watch.service', () => {
  const unit = readFileSync(UNIT, 'utf8');
  const tmp = mkdtempSync(join(tmpdir(), 'ctnet-deploy-unit-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('reads the whole repository and takes --node from the kernel hostname (%H)', () => {
    const exec = /^ExecStart=(.*)$/m.exec(unit)?.[1].split(/\s+/) ?? [];
    expect(exec.slice(0, 3)).toEqual(['/usr/bin/ctnet', 'watch', '/etc/ctnet/manifests']);
    expect(exec[exec.indexOf('--node') + 1]).toBe('%H');
  });

  /** systemd-analyze verify on a copy whose ExecStart is `binary`: exit code, and its complaints about the file. */
  function verify(name: string, text: string, binary: string): { status: number | null; complaints: string[] } {
    const file = join(tmp, name);
    writeFileSync(file, text.replace('/usr/bin/ctnet', binary));
    const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    return { status: r.status, complaints: r.stderr.split('\n').filter((l) => l.startsWith(`${file}:`)) };
  }

  const analyze = spawnSync('systemd-analyze', ['--version']);
  if (analyze.error) console.log(`systemd-analyze verify skipped: ${analyze.error.message}`);
  it.skipIf(analyze.error !== undefined)('passes systemd-analyze verify (ctnet replaced by an existing binary)', () => {
    expect(verify('ctnet-watch.service', unit, '/bin/true')).toEqual({ status: 0, complaints: [] });
    // the check bites: an unknown key and a bad value are complained about, a missing binary fails
    const bad = unit.replace('KillSignal=', 'KilSignal=').replace('Restart=on-failure', 'Restart=bogus');
    expect(verify('bad.service', bad, '/bin/true').complaints).toHaveLength(2);
    expect(verify('missing.service', unit, join(tmp, 'no-such-binary')).status).not.toBe(0);
  });
});
