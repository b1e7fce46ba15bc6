/** Makes a switch over a union exhaustive: adding a member without a case no longer compiles. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}
