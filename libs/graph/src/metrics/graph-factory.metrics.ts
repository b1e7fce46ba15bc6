import type { TenantContext } from '../client/tenant-context.js';
import { graphBreakers, graphTenantBudgetUse } from './graph.metrics.js';

/** The scrape-time gauges of one client factory's tenant contexts; the result stops them (factory closed). */
export function watchGraphClientFactory(contexts: ReadonlyMap<string, TenantContext>): () => void {
  const removers = [
    graphBreakers.addSource(() => {
      const counts = { closed: 0, open: 0, halfOpen: 0 };
      for (const context of contexts.values()) counts[context.state()] += 1;
      return Object.entries(counts).map(([state, value]) => ({ labels: { state }, value }));
    }),
    graphTenantBudgetUse.addSource(() =>
      [...contexts.values()].flatMap((context) => {
        const used = context.pacer.budgetUsed();
        if (!used || (used.requests === 0 && used.writes === 0)) return [];
        return [
          { labels: { tenant: context.tenantId, budget: 'requests' }, value: used.requests },
          { labels: { tenant: context.tenantId, budget: 'writes' }, value: used.writes },
        ];
      }),
    ),
  ];
  return () => removers.forEach((remove) => remove());
}
