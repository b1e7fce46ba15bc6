import { ApiProperty } from '@nestjs/swagger';

/** The body of every error the gateway answers. */
export class ErrorResponse {
  @ApiProperty({ example: 403 })
  statusCode: number;

  @ApiProperty({ example: 'Forbidden' })
  error: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'you are not a member of this tenant',
    description: 'A sentence, or one entry per invalid field (`target.policyId: must be a UUID`).',
  })
  message: string | string[];
}
