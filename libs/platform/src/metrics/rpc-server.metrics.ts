import { RpcErrorCode } from '@policyvault/contracts';
import { rpcServerDuration, rpcServerRequests } from './platform.metrics.js';

/**
 * For one RPC request as NamespacedNatsServer handles it: records, at its first reply packet, the pattern (the
 * subject without the namespace), the outcome (`ok`, or the error code RpcErrorReplyFilter answered) and the
 * time since the request was taken. Measured at the transport, so HTTP routes pay nothing for it.
 */
export function rpcServerReplyRecorder(namespace: string, subject: string): (packet: { err?: unknown; isDisposed?: boolean }) => void {
  const done = rpcServerDuration.startTimer();
  const pattern = subject.startsWith(`${namespace}.`) ? subject.slice(namespace.length + 1) : subject;
  let recorded = false;
  return (packet) => {
    if (recorded) return;
    recorded = true;
    done({ pattern });
    rpcServerRequests.inc({ pattern, outcome: packet.err === undefined ? 'ok' : errorCode(packet.err) });
  };
}

const CODES = new Set<string>(Object.values(RpcErrorCode));

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CODES.has(code) ? code : RpcErrorCode.Internal;
}
