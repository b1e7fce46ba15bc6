import { changedBesides, createRequest, targetPath, updateRequest } from './default.writes.js';
import type { PlannedRequest, WriteStrategy } from './planned-request.js';

const COMBINATIONS = 'allowedCombinations';

/**
 * Authentication strengths: created with their allowed combinations; an update PATCHes name and description
 * and replaces the combinations with `updateAllowedCombinations` (Graph's only way to change them).
 */
export const authenticationStrengthWrites: WriteStrategy = {
  create: (input) => [createRequest(input)],
  update: (input) => {
    const requests: PlannedRequest[] = [];
    if (changedBesides(input, [COMBINATIONS])) requests.push(updateRequest(input));
    if (input.changed.has(COMBINATIONS)) {
      requests.push({ method: 'POST', path: `${targetPath(input)}/updateAllowedCombinations`, body: { allowedCombinations: input.snapshot[COMBINATIONS] ?? [] }, purpose: 'allowed_combinations' });
    }
    return requests;
  },
};
