import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { SettingDefinitionView } from '@policyvault/contracts';
import type { GraphClient } from '@policyvault/graph';
import { jsonTextsParameter } from '@policyvault/platform';
import { RECORD_SETTING_DEFINITIONS, STORED_SETTING_DEFINITIONS } from '../database/capture.sql.js';
import type { SettingDefinitionEntity } from './setting-definition.entity.js';

type GraphObject = Record<string, unknown>;

const isPlainObject = (value: unknown): value is GraphObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Every `settingDefinitionId` a captured object uses, at any depth (children of groups and choices included). */
export function settingDefinitionIds(snapshot: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(snapshot)) {
    for (const item of snapshot) settingDefinitionIds(item, into);
  } else if (isPlainObject(snapshot)) {
    for (const [key, value] of Object.entries(snapshot)) {
      if (key === 'settingDefinitionId' && typeof value === 'string' && value !== '') into.add(value);
      else settingDefinitionIds(value, into);
    }
  }
  return into;
}

/** What the report keeps of Graph's definition (`deviceManagementConfigurationSettingDefinition` and derived types). */
export function toSettingDefinitionView(definition: GraphObject): SettingDefinitionView {
  const options = Array.isArray(definition.options) ? definition.options.filter(isPlainObject) : [];
  return {
    id: String(definition.id),
    displayName: text(definition.displayName),
    name: text(definition.name),
    description: text(definition.description),
    odataType: text(definition['@odata.type']),
    options: options
      .filter((option) => typeof option.itemId === 'string')
      .map((option) => ({ itemId: String(option.itemId), displayName: text(option.displayName), name: text(option.name) })),
  };
}

/**
 * Captures the setting definitions of settings-catalog-shaped objects (any snapshot holding
 * `settingDefinitionId`s) for the as-built documentation: the ids this tenant has no stored definition for are
 * taken from the definitions the read brought along (`$expand=settingDefinitions`), and those it did not bring
 * are read through `$batch` (`GET /deviceManagement/configurationSettings/{id}`, beta); all are stored once per
 * (tenant, id) in `capture.setting_definitions`, never in the snapshot (its content hash stays as it was).
 * A definition Graph does not give (gone, refused) is left out — the report shows its id — and asked for
 * again by the next capture; a whole call failing throws GraphError like a policy read.
 */
@Injectable()
export class SettingDefinitionCapture {
  private readonly logger = new Logger('SettingDefinitionCapture');

  constructor(@InjectDataSource() private readonly database: DataSource) {}

  /** @param brought the definitions the snapshots' read expanded (`ReadSnapshotsResult.definitions`), if any. */
  async capture(client: GraphClient, tenantId: string, snapshots: GraphObject[], brought: GraphObject[] = []): Promise<void> {
    const ids = new Set<string>();
    for (const snapshot of snapshots) settingDefinitionIds(snapshot, ids);
    if (ids.size === 0) return;
    for (const { id } of await STORED_SETTING_DEFINITIONS.rows(this.database, [tenantId, [...ids]])) ids.delete(id);
    if (ids.size === 0) return;
    const rows: Array<Pick<SettingDefinitionEntity, 'definitionId' | 'definition'>> = [];
    for (const definition of brought) {
      const id = String(definition.id);
      if (!ids.delete(id)) continue;
      rows.push({ definitionId: id, definition: toSettingDefinitionView(definition) });
    }
    const wanted = [...ids];
    const results =
      wanted.length === 0
        ? []
        : await client.batch(
            'beta',
            wanted.map((id, index) => ({ id: String(index), method: 'GET' as const, url: `/deviceManagement/configurationSettings/${encodeURIComponent(id)}` })),
          );
    let unreadable = 0;
    results.forEach((result, index) => {
      if (result.ok && isPlainObject(result.body)) rows.push({ definitionId: wanted[index], definition: toSettingDefinitionView({ ...result.body, id: wanted[index] }) });
      else unreadable += 1;
    });
    if (unreadable > 0) this.logger.warn({ tenantId, unreadable, read: rows.length }, 'setting definitions Graph did not give are left out of the documentation');
    if (rows.length > 0) {
      await RECORD_SETTING_DEFINITIONS.rows(this.database, [tenantId, rows.map((row) => row.definitionId), jsonTextsParameter(rows.map((row) => JSON.stringify(row.definition)))]);
    }
  }
}
