import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { GatewayException } from '../errors/gateway.exception.js';

/** A path parameter that must be a UUID; 400 naming the parameter otherwise. Lower-cases it. */
@Injectable()
export class UuidParamPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value !== 'string' || !isUUID(value, 'all')) {
      throw GatewayException.invalidRequest(`${metadata.data ?? 'parameter'}: must be a UUID`);
    }
    return value.toLowerCase();
  }
}
