import type { GraphObject, TenantStore } from './tenant-store.js';

function definitionIds(value: unknown, into: string[]): string[] {
  if (Array.isArray(value)) for (const item of value) definitionIds(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'settingDefinitionId' && typeof child === 'string') {
        if (!into.includes(child)) into.push(child);
      } else definitionIds(child, into);
    }
  }
  return into;
}

/**
 * A settings catalog setting with its `settingDefinitions` navigation (the definitions of the setting and of its
 * children), as `GET configurationPolicies/{id}/settings?$expand=settingDefinitions` answers; ids the tenant's
 * catalogue does not hold are left out.
 */
export function withSettingDefinitions(tenant: TenantStore, setting: GraphObject): GraphObject {
  const settingDefinitions = definitionIds(setting.settingInstance, [])
    .map((id) => tenant.get('settingDefinition', id)?.data)
    .filter((definition): definition is GraphObject => definition !== undefined);
  return { ...setting, settingDefinitions };
}
