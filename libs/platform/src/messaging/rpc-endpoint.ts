/**
 * A request/reply pattern with the types of its request and reply, so callers get both without
 * casts: `const getRun = rpcEndpoint<GetRunRequest, RunView>(RunRpc.get)`.
 */
export interface RpcEndpoint<Request extends object, Reply> {
  readonly pattern: string;
  /** Carries the types only; never set. */
  readonly types?: { request: Request; reply: Reply };
}

export function rpcEndpoint<Request extends object, Reply>(pattern: string): RpcEndpoint<Request, Reply> {
  return { pattern };
}
