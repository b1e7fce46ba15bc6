import { counter, gauge } from '@policyvault/platform';

export const sseConnections = gauge({
  name: 'policyvault_sse_connections',
  help: 'Server-sent event streams open now (live progress of a tenant or of one run).',
});

export const sseDisconnects = counter({
  name: 'policyvault_sse_disconnects_total',
  help: 'Server-sent event streams ended, by reason (client_closed, server_closed, too_slow).',
  labelNames: ['reason'],
});
