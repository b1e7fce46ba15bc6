import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SettingDefinitionView } from '@policyvault/contracts';

/**
 * A settings catalog setting definition as Graph described it when a policy using it was captured
 * (`GET /deviceManagement/configurationSettings/{id}`): what an as-built report shows for a setting (its
 * display name, its choice options' display names). Kept once per tenant and definition id, apart from the
 * snapshots, so capturing it never changes a version's content hash. Read by the documentation RPC only.
 */
@Entity({ name: 'setting_definitions' })
export class SettingDefinitionEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  @PrimaryColumn('text', { name: 'definition_id' })
  definitionId: string;

  @Column('jsonb')
  definition: SettingDefinitionView;

  @Column('timestamptz', { name: 'captured_at', default: () => 'clock_timestamp()' })
  capturedAt: Date;
}
