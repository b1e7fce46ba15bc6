import { validateSync, type ValidationError } from 'class-validator';
import { plainToInstanceCompiled } from './compiled-transform.js';
import { certainlyValid } from './compiled-validation.js';
import { unsafeInputProblem } from './unsafe-input.js';

const MESSAGE_VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false } as const;

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * Validates a received message against its contract class: unknown properties and wrong types are
 * rejected, and the problems name the offending field (`scope.policyIds.0: must be a UUID`). Deep
 * nesting, NUL characters, `__proto__` and `constructor` keys are refused before class-transformer runs (`unsafeInputProblem`).
 * The instance is built from a plan read once per class where that gives class-transformer's own result
 * (`plainToInstanceCompiled`), and the verdict is class-validator's (a certain "valid" from `certainlyValid`).
 */
export function validateMessage<T extends object>(schema: new () => T, payload: unknown): Validated<T> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { ok: false, problems: ['message: must be a JSON object'] };
  }
  const unsafe = unsafeInputProblem(payload, 'message');
  if (unsafe) return { ok: false, problems: [unsafe] };
  const value = plainToInstanceCompiled(schema, payload);
  // class-validator decides (and words) everything but the certain "valid" of the compiled plan.
  const errors = certainlyValid(value, MESSAGE_VALIDATION) ? [] : validateSync(value, MESSAGE_VALIDATION);
  if (errors.length > 0) return { ok: false, problems: flattenValidationErrors(errors) };
  return { ok: true, value };
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((constraint) => `${path}: ${stripProperty(constraint, error.property)}`);
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

// class-validator messages start with the property name ("name must be a string"); the path says it.
function stripProperty(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
