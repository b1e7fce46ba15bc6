import { validateMessage } from '@policyvault/platform';
import { RunServiceError } from './run-service.error.js';

/** Validates a request payload against its contract class; a bad one is a `validation_failed` reply. */
export function parseRpcPayload<T extends object>(schema: new () => T, payload: unknown): T {
  const result = validateMessage(schema, payload);
  if (!result.ok) throw RunServiceError.validation(result.problems);
  return result.value;
}
