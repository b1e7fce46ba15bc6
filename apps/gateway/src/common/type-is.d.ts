// type-is ships no types; it is what Express' `request.is` called (isMediaType calls it on the Node request).
declare module 'type-is' {
  import type { IncomingMessage } from 'node:http';

  /** The first of `types` the request's Content-Type matches, false when none does, null when the request has no body. */
  function typeis(request: IncomingMessage, types: string[]): string | false | null;
  export = typeis;
}
