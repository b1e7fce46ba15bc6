import { Badge } from '@mantine/core';
import type { TenantHealth } from '../api/contracts';

export const HEALTH_LABELS: Record<TenantHealth, string> = {
  ok: 'OK',
  missing_permissions: 'Missing permissions',
  no_consent: 'No consent',
  unreachable: 'Unreachable',
};

// Filled badge shades with WCAG AA contrast (as RUN_STATUS_COLORS).
const HEALTH_COLORS: Record<TenantHealth, string> = { ok: 'teal.9', missing_permissions: 'yellow.4', no_consent: 'pink.9', unreachable: 'red.9' };

/** A tenant's access health from its latest check; "Never checked" before the first. */
export function HealthBadge({ health }: { health: { status: TenantHealth } | null }) {
  if (!health) return <Badge color="gray.7">Never checked</Badge>;
  return <Badge color={HEALTH_COLORS[health.status]}>{HEALTH_LABELS[health.status]}</Badge>;
}
