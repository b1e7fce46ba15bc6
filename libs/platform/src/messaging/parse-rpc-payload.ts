import { validateMessage } from '../validation/validate-message.js';
import { RpcException } from './rpc.exception.js';

/** Validates a request payload against its contract class; a bad one is a `validation_failed` reply. */
export function parseRpcPayload<T extends object>(schema: new () => T, payload: unknown): T {
  const result = validateMessage(schema, payload);
  if (!result.ok) throw RpcException.validation(result.problems);
  return result.value;
}
