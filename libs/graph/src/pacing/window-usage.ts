/**
 * Requests (and writes) sent over the last window, in one-second slots: how much of Intune's per-window
 * budget a tenant used (policyvault_graph_tenant_budget_used_ratio). Memory is one slot per second of the window.
 */
export class WindowUsage {
  private readonly slots: { second: number; requests: number; writes: number }[];

  constructor(private readonly windowSeconds: number) {
    this.slots = Array.from({ length: Math.max(1, Math.ceil(windowSeconds)) }, () => ({ second: -1, requests: 0, writes: 0 }));
  }

  record(cost: number, write: boolean, now: number): void {
    const second = Math.floor(now / 1000);
    const slot = this.slots[second % this.slots.length];
    if (slot.second !== second) Object.assign(slot, { second, requests: 0, writes: 0 });
    slot.requests += cost;
    if (write) slot.writes += 1;
  }

  /** Requests and writes within the last `windowSeconds` (the current second included). */
  total(now: number): { requests: number; writes: number } {
    const second = Math.floor(now / 1000);
    let requests = 0;
    let writes = 0;
    for (const slot of this.slots) {
      if (slot.second > second - this.slots.length) {
        requests += slot.requests;
        writes += slot.writes;
      }
    }
    return { requests, writes };
  }
}
