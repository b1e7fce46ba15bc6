import { ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { certainlyValid, compiledClassTransformer } from '@policyvault/platform';

/**
 * Nest's ValidationPipe (class-transformer, then class-validator), with class-validator's "no errors" answered
 * from the compiled plan when it is certain (`certainlyValid`): a valid body or query skips class-validator's
 * per-call metadata scan; anything else is validated, and its errors worded, by class-validator as before.
 * class-transformer's instances are built from a plan read once per class where that gives its own result
 * (`compiledClassTransformer`).
 * The pipe's look for binary values in nested properties reads each class's rules once per process instead
 * of once per request (its own cache, by class, lives for one call).
 */
export class CompiledValidationPipe extends ValidationPipe {
  private readonly rulesByClass = new Map<unknown, unknown[]>();

  constructor(options: ValidationPipeOptions = {}) {
    super({ transformerPackage: compiledClassTransformer, ...options });
  }

  protected override validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> | ValidationError[] {
    return certainlyValid(object, validatorOptions) ? [] : super.validate(object, validatorOptions);
  }

  protected override findNestedBinaryValues(object: unknown, metadataCache: Map<unknown, unknown[]> = this.rulesByClass): ValidationError[] {
    return super.findNestedBinaryValues(object, metadataCache as Map<unknown, never[]>);
  }
}
