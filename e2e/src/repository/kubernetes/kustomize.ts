// `kustomize build` for deploy/k8s, in the test: neither kubectl nor kustomize is on a fresh machine (and the
// npm registry has no official build of either), so the repository tests render the overlays themselves.
// Only the subset of Kustomize that deploy/k8s uses is implemented, with Kustomize's semantics; anything else
// (a field, a patch shape) throws instead of rendering something kustomize would not, so an overlay that
// reaches for another feature fails the test until this renderer learns it.
// Checked against `kubectl kustomize` (Kustomize v5.5) on both overlays when written: the same objects.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

interface PatchEntry {
  path?: string;
  patch?: string;
  target?: { kind?: string; name?: string };
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  replicas?: { name: string; count: number }[];
  patches?: PatchEntry[];
}

type JsonValue = unknown;
type JsonOperation = { op: string; path: string; value?: JsonValue };

const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'replicas', 'patches']);
const CLUSTER_SCOPED_KINDS = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass']);
const SCALABLE_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** The objects `kustomize build <directory>` prints, in resource order. */
export function kustomizeBuild(directory: string): KubernetesObject[] {
  const kustomization = readKustomization(directory);
  const objects: KubernetesObject[] = [];
  for (const resource of kustomization.resources ?? []) {
    const path = resolve(directory, resource);
    const loaded = statSync(path).isDirectory() ? kustomizeBuild(path) : readObjects(path);
    for (const object of loaded) {
      if (objects.some((other) => sameIdentity(other, object))) throw new Error(`${path}: ${describe(object)} is declared twice`);
      objects.push(object);
    }
  }
  for (const entry of kustomization.patches ?? []) applyPatchEntry(objects, entry, directory);
  if (kustomization.namespace) {
    for (const object of objects) if (!CLUSTER_SCOPED_KINDS.has(object.kind)) object.metadata.namespace = kustomization.namespace;
  }
  for (const { name, count } of kustomization.replicas ?? []) {
    const targets = objects.filter((object) => SCALABLE_KINDS.has(object.kind) && object.metadata.name === name);
    if (targets.length === 0) throw new Error(`${directory}: replicas names ${name}, which is no workload`);
    for (const target of targets) (target.spec as Record<string, unknown>).replicas = count;
  }
  for (const image of kustomization.images ?? []) {
    for (const container of objects.flatMap(containersOf)) container.image = replaceImage(container.image, image);
  }
  return objects;
}

function readKustomization(directory: string): Kustomization {
  const file = join(directory, 'kustomization.yaml');
  const kustomization = parse(readFileSync(file, 'utf8')) as Kustomization;
  const unsupported = Object.keys(kustomization).filter((field) => !SUPPORTED_FIELDS.has(field));
  if (unsupported.length > 0) throw new Error(`${file}: ${unsupported.join(', ')} not supported by this renderer`);
  if (kustomization.kind !== 'Kustomization') throw new Error(`${file}: kind must be Kustomization`);
  return kustomization;
}

/** Every document of a YAML file (empty documents skipped), each a Kubernetes object. */
export function readObjects(file: string): KubernetesObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0].message}`);
    const object = document.toJS() as KubernetesObject | null;
    if (object === null) return [];
    if (!object.apiVersion || !object.kind || !object.metadata?.name) throw new Error(`${file}: an object without apiVersion, kind or metadata.name`);
    return [object];
  });
}

function applyPatchEntry(objects: KubernetesObject[], entry: PatchEntry, directory: string): void {
  const text = entry.path ? readFileSync(resolve(directory, entry.path), 'utf8') : entry.patch;
  if (text === undefined) throw new Error(`${directory}: a patch needs path or patch`);
  const patch = parse(text) as unknown;
  if (Array.isArray(patch)) {
    if (!entry.target) throw new Error(`${directory}: a JSON 6902 patch needs a target`);
    const targets = matching(objects, entry.target);
    if (targets.length === 0) throw new Error(`${directory}: no object matches the patch target ${JSON.stringify(entry.target)}`);
    for (const target of targets) applyJsonPatch(target, patch as JsonOperation[]);
    return;
  }
  const strategic = patch as KubernetesObject;
  const selector = entry.target ?? { kind: strategic.kind, name: strategic.metadata?.name };
  const targets = matching(objects, selector);
  if (targets.length === 0) throw new Error(`${directory}: no object matches the patch of ${describe(strategic)}`);
  for (const target of targets) {
    const { apiVersion: _apiVersion, kind: _kind, metadata, ...rest } = strategic;
    const { name: _name, ...metadataRest } = metadata ?? {};
    mergeStrategic(target, { ...rest, metadata: metadataRest });
  }
}

function matching(objects: KubernetesObject[], target: { kind?: string; name?: string }): KubernetesObject[] {
  return objects.filter((object) => (!target.kind || object.kind === target.kind) && (!target.name || object.metadata.name === target.name));
}

/**
 * A strategic merge patch without lists: maps merge key by key, scalars replace, null deletes. Lists merge by
 * per-field keys in Kustomize (containers by name, ports by containerPort…): a list in a patch throws, use
 * a JSON 6902 patch for those.
 */
function mergeStrategic(target: Record<string, unknown>, patch: Record<string, unknown>, path = ''): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else if (Array.isArray(value)) throw new Error(`strategic merge of the list ${path}/${key} is not supported: use a JSON 6902 patch`);
    else if (isMap(value) && isMap(target[key])) mergeStrategic(target[key] as Record<string, unknown>, value, `${path}/${key}`);
    else target[key] = structuredClone(value);
  }
}

/** RFC 6902 add, replace and remove (what the overlays use). */
export function applyJsonPatch(document: Record<string, unknown>, operations: JsonOperation[]): void {
  for (const { op, path, value } of operations) {
    const keys = path.split('/').slice(1).map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    if (last === undefined) throw new Error(`JSON patch path "${path}" names the whole document`);
    let parent: unknown = document;
    for (const key of keys) {
      parent = Array.isArray(parent) ? parent[arrayIndex(parent, key, false)] : (parent as Record<string, unknown> | undefined)?.[key];
      if (typeof parent !== 'object' || parent === null) throw new Error(`JSON patch path "${path}" does not exist`);
    }
    if (op === 'add' || op === 'replace') {
      if (Array.isArray(parent)) {
        const index = arrayIndex(parent, last, op === 'add');
        parent.splice(index, op === 'add' ? 0 : 1, structuredClone(value));
      } else {
        if (op === 'replace' && !(last in (parent as object))) throw new Error(`JSON patch replaces "${path}", which does not exist`);
        (parent as Record<string, unknown>)[last] = structuredClone(value);
      }
    } else if (op === 'remove') {
      if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, false), 1);
      else if (last in (parent as object)) delete (parent as Record<string, unknown>)[last];
      else throw new Error(`JSON patch removes "${path}", which does not exist`);
    } else {
      throw new Error(`JSON patch operation "${op}" is not supported`);
    }
  }
}

function arrayIndex(array: unknown[], key: string, appending: boolean): number {
  if (appending && key === '-') return array.length;
  const index = Number(key);
  const limit = appending ? array.length : array.length - 1;
  if (!/^\d+$/.test(key) || index > limit) throw new Error(`JSON patch index "${key}" is out of range`);
  return index;
}

/** The containers and init containers of a workload's pod template (Deployment, Job, StatefulSet…) or a Pod. */
export function containersOf(object: KubernetesObject): { name: string; image: string }[] {
  const spec = object.spec as { template?: { spec?: PodContainers }; jobTemplate?: { spec?: { template?: { spec?: PodContainers } } } } & PodContainers;
  const pod = object.kind === 'Pod' ? spec : (spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec);
  return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])];
}

interface PodContainers {
  containers?: { name: string; image: string }[];
  initContainers?: { name: string; image: string }[];
}

/** Kustomize's image transformer: the name matches without tag or digest; newName, newTag and digest replace theirs. */
function replaceImage(current: string, image: NonNullable<Kustomization['images']>[number]): string {
  const [reference, digest] = current.split('@') as [string, string | undefined];
  // A tag follows the last colon after the last slash (a colon before it is a registry's port).
  const colon = reference.lastIndexOf(':');
  const tagged = colon > reference.lastIndexOf('/');
  const name = tagged ? reference.slice(0, colon) : reference;
  const tag = tagged ? reference.slice(colon + 1) : undefined;
  if (name !== image.name) return current;
  const newName = image.newName ?? name;
  if (image.digest) return `${newName}@${image.digest}`;
  if (image.newTag) return `${newName}:${image.newTag}`;
  return `${newName}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameIdentity(a: KubernetesObject, b: KubernetesObject): boolean {
  return a.kind === b.kind && a.metadata.name === b.metadata.name && (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '');
}

function describe(object: Partial<KubernetesObject>): string {
  return `${object.kind ?? '?'} ${object.metadata?.name ?? '?'}`;
}
