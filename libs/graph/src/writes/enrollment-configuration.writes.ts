import { changedBesides, createRequest, targetPath, updateRequest } from './default.writes.js';
import type { PlannedRequest, WriteInput, WriteStrategy } from './planned-request.js';

function setPriority(input: WriteInput, path: string): PlannedRequest {
  return { method: 'POST', path: `${path}/setPriority`, body: { priority: input.snapshot.priority }, purpose: 'priority' };
}

const hasPriority = (input: WriteInput) => typeof input.snapshot.priority === 'number' && input.snapshot.priority > 0;

/**
 * Enrollment configurations: `priority` is not writable by POST or PATCH; it is set with `setPriority`
 * after the create, and after an update when it differs. Defaults (priority 0) are never written
 * (built-in objects, see `isBuiltInObject`).
 */
export const enrollmentConfigurationWrites: WriteStrategy = {
  create: (input) => [createRequest(input), ...(hasPriority(input) ? [setPriority(input, targetPath(input))] : [])],
  update: (input) => [
    ...(changedBesides(input, ['priority']) ? [updateRequest(input)] : []),
    ...(input.changed.has('priority') && hasPriority(input) ? [setPriority(input, targetPath(input))] : []),
  ],
};
