// The test's Kustomize renderer (kustomize.ts) on small kustomizations: each feature deploy/k8s uses, with
// the result `kustomize build` gives, and a refusal for what it does not implement.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyJsonPatch, kustomizeBuild } from './kustomize.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    spec:
      initContainers:
        - name: init
          image: busybox:1.36
      containers:
        - name: web
          image: registry.local:5000/web:1.0
          command: ["node", "main.js"]
        - name: sidecar
          image: web
`;
const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  A: "1"
  B: "2"
`;

describe('kustomizeBuild (the tests\' Kustomize subset)', () => {
  let root: string;

  function write(path: string, text: string): void {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pv-kustomize-'));
    write('base/app.yaml', `${deployment}---\n${configMap}`);
    write('base/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [app.yaml]\n');
    write('overlay/command.yaml', '- op: replace\n  path: /spec/template/spec/containers/0/command\n  value: ["sh", "-c", "go"]\n');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function overlay(text: string, resources = ['../base']) {
    write('overlay/kustomization.yaml', `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [${resources.join(', ')}]\n${text}`);
    return kustomizeBuild(join(root, 'overlay'));
  }

  it('loads resources from files and directories, documents in order', () => {
    expect(overlay('').map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(['Deployment/web', 'ConfigMap/settings']);
  });

  it('sets the namespace, replicas and images (name without tag; a registry port is no tag)', () => {
    const [web] = overlay(`namespace: team
replicas: [{ name: web, count: 5 }]
images:
  - { name: registry.local:5000/web, newName: example.com/web, newTag: "2.0" }
  - { name: web, newTag: "3.0" }
  - { name: busybox, digest: "sha256:abc" }
`);
    expect(web.metadata.namespace).toBe('team');
    expect(web.spec).toMatchObject({
      replicas: 5,
      template: {
        spec: {
          initContainers: [{ image: 'busybox@sha256:abc' }],
          containers: [{ image: 'example.com/web:2.0' }, { image: 'web:3.0' }],
        },
      },
    });
  });

  it('merges a strategic merge patch into maps (null deletes) and applies JSON 6902 patches to the target', () => {
    const [web, settings] = overlay(`patches:
  - patch: |-
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: settings }
      data: { B: "two", C: "3", A: null }
  - path: command.yaml
    target: { kind: Deployment, name: web }
`);
    expect(settings.data).toEqual({ B: 'two', C: '3' });
    expect((web.spec as { template: { spec: { containers: { command: string[] }[] } } }).template.spec.containers[0].command).toEqual(['sh', '-c', 'go']);
    expect(settings.metadata.name).toBe('settings');
  });

  it('refuses what it does not implement instead of rendering something else', () => {
    expect(() => overlay('commonLabels: { team: a }\n')).toThrow('commonLabels not supported');
    expect(() =>
      overlay(`patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec: { template: { spec: { containers: [{ name: web, image: other }] } } }
`),
    ).toThrow('use a JSON 6902 patch');
    expect(() => overlay('patches:\n  - patch: "[{op: replace, path: /spec/replicas, value: 1}]"\n')).toThrow('needs a target');
    expect(() => overlay('replicas: [{ name: nothing, count: 1 }]\n')).toThrow('no workload');
    expect(() => overlay(`patches:
  - patch: |-
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: missing }
      data: { A: "1" }
`)).toThrow('no object matches');
  });

  it('refuses an object declared twice', () => {
    write('overlay/again.yaml', configMap);
    expect(() => overlay('', ['../base', 'again.yaml'])).toThrow('ConfigMap settings is declared twice');
  });
});

describe('applyJsonPatch (RFC 6902 add, replace, remove)', () => {
  it('adds to maps and lists (- appends), replaces and removes, with ~1 and ~0 escapes', () => {
    const document: Record<string, unknown> = { a: { 'b/c': 1, 'd~e': 2 }, list: [1, 2] };
    applyJsonPatch(document, [
      { op: 'add', path: '/list/-', value: 3 },
      { op: 'add', path: '/list/0', value: 0 },
      { op: 'replace', path: '/a/b~1c', value: 10 },
      { op: 'remove', path: '/a/d~0e' },
      { op: 'remove', path: '/list/1' },
      { op: 'add', path: '/new', value: { x: 1 } },
    ]);
    expect(document).toEqual({ a: { 'b/c': 10 }, list: [0, 2, 3], new: { x: 1 } });
  });

  it('fails on a path that does not exist and on operations it does not implement', () => {
    expect(() => applyJsonPatch({ a: {} }, [{ op: 'replace', path: '/a/b', value: 1 }])).toThrow('does not exist');
    expect(() => applyJsonPatch({ a: [] }, [{ op: 'replace', path: '/a/0', value: 1 }])).toThrow('out of range');
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'move', path: '/b' }])).toThrow('not supported');
  });
});
