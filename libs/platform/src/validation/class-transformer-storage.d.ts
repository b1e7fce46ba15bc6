// class-transformer's metadata storage, the instance its decorators write to (the package ships its types apart from
// its CommonJS build): read by compiled-transform.ts.
declare module 'class-transformer/cjs/storage.js' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage.js';

  export const defaultMetadataStorage: MetadataStorage;
}
