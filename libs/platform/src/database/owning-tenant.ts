import type { EntityManager, EntityTarget, FindOptionsSelect, FindOptionsWhere } from 'typeorm';

/**
 * Which tenant holds a row, found by its key alone: the one deliberate read without a tenant in the
 * services' read APIs. It runs only after a tenant-scoped query found nothing, returns nothing of the
 * row but its tenant, and exists so an RPC can answer `other_tenant` instead of `not_found`
 * (`RpcException.notFoundOrOtherTenant`); the scoped queries themselves stay scoped.
 */
export async function owningTenant<Entity extends { tenantId: string }>(
  manager: EntityManager,
  entity: EntityTarget<Entity>,
  key: FindOptionsWhere<Entity>,
): Promise<string | null> {
  const row = await manager.getRepository(entity).findOne({ where: key, select: { tenantId: true } as FindOptionsSelect<Entity> });
  return row?.tenantId ?? null;
}
