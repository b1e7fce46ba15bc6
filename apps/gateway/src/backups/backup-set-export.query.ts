import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { BACKUP_EXPORT_SECRET_MODES, type BackupExportSecretMode } from '@policyvault/contracts';

export class BackupSetExportQuery {
  @ApiPropertyOptional({
    enum: BACKUP_EXPORT_SECRET_MODES,
    default: 'omit',
    description:
      'Secret values (encrypted OMA-URI values): `omit` writes `{"policyVaultSecretOmitted": true}` in their place; `encrypted` writes the ' +
      'stored envelope (AES-256-GCM, openable only by a PolicyVault holding its key). The plaintext is never exported. The manifest lists them.',
  })
  @IsOptional()
  @IsIn(BACKUP_EXPORT_SECRET_MODES)
  secrets?: BackupExportSecretMode;
}
