/**
 * Who is asking, and about which tenants: every API query on notifications takes one, so a query that
 * forgets the owner or the caller's current tenants does not compile. Notifications about a tenant the
 * user can no longer see stay stored, but are never listed, counted or marked.
 */
export interface NotificationAudience {
  readonly userId: string;
  readonly visibleTenantIds: readonly string[];
}
