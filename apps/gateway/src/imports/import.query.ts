import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ImportQuery {
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'The name of the backup set the import makes.' })
  @IsString()
  @Length(1, 200)
  name: string;
}
