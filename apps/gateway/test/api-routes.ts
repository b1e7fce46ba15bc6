/** Every API route as OpenAPI names it; adding a route means adding it here and to the authorization matrix (e2e). */
export const API_ROUTES = [
  'get /api/me',
  'get /api/tenants',
  'post /api/tenants',
  'post /api/tenants/bulk',
  'get /api/tenants/{tenantId}',
  'patch /api/tenants/{tenantId}',
  'delete /api/tenants/{tenantId}',
  'get /api/tenants/{tenantId}/members',
  'post /api/tenants/{tenantId}/members',
  'patch /api/tenants/{tenantId}/members/{userId}',
  'delete /api/tenants/{tenantId}/members/{userId}',
  'post /api/tenants/{tenantId}/runs',
  'get /api/tenants/{tenantId}/runs',
  'get /api/tenants/{tenantId}/runs/{runId}',
  'get /api/tenants/{tenantId}/runs/{runId}/items',
  'post /api/tenants/{tenantId}/runs/{runId}/cancel',
  'get /api/tenants/{tenantId}/runs/events',
  'get /api/tenants/{tenantId}/runs/{runId}/events',
  'get /api/tenants/{tenantId}/runs/{runId}/preview',
  'get /api/tenants/{tenantId}/policies',
  'get /api/tenants/{tenantId}/policies/{policyId}',
  'get /api/tenants/{tenantId}/policies/{policyId}/versions',
  'get /api/tenants/{tenantId}/policies/{policyId}/versions/compare',
  'get /api/tenants/{tenantId}/policy-versions/{versionId}',
  'get /api/tenants/{tenantId}/backup-sets',
  'get /api/tenants/{tenantId}/backup-sets/{setId}',
  'get /api/tenants/{tenantId}/backup-sets/{setId}/items',
  'get /api/tenants/{tenantId}/backup-sets/{setId}/export',
  'post /api/tenants/{tenantId}/backup-schedules',
  'post /api/tenants/{tenantId}/backup-schedules/preview',
  'get /api/tenants/{tenantId}/backup-schedules',
  'get /api/tenants/{tenantId}/backup-schedules/{scheduleId}',
  'patch /api/tenants/{tenantId}/backup-schedules/{scheduleId}',
  'delete /api/tenants/{tenantId}/backup-schedules/{scheduleId}',
  'get /api/tenants/{tenantId}/backup-schedules/{scheduleId}/runs',
  'get /api/tenants/{tenantId}/audit-events',
  'get /api/tenants/{tenantId}/drift-reports',
  'get /api/tenants/{tenantId}/drift-reports/{reportId}',
  'get /api/notifications',
  'post /api/notifications/read-all',
  'post /api/notifications/{notificationId}/read',
  'get /api/fleet',
  'post /api/fleet/runs',
  'get /api/fleet/batches/{batchId}',
] as const;

export type ApiRoute = (typeof API_ROUTES)[number];

/** The routes listed by an OpenAPI document, as `method path`. */
export function documentedRoutes(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
}
