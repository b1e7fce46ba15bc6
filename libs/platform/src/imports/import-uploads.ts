import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Inject, Injectable } from '@nestjs/common';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { StorageType } from '@nats-io/jetstream';
import { Objm, type ObjectStore } from '@nats-io/obj';
import type { JetStreamNames } from '@policyvault/contracts';
import { CommonConfig } from '../config/common.config.js';
import { JETSTREAM_NAMES, NATS_CONNECTION } from '../nats/nats.module.js';

/** How long an uploaded archive is kept when no run deletes it (a run that never started, a crashed gateway). */
export const IMPORT_UPLOAD_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** Objects are named by tenant and upload: a run reads only its own tenant's uploads, whatever upload id it names. */
const objectName = (tenantId: string, uploadId: string) => `${tenantId}/${uploadId}`;

/** An upload grew past its limit while it was streamed in (nothing of it is kept). */
export class ImportUploadTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the archive exceeds ${limitBytes} bytes`);
    this.name = 'ImportUploadTooLargeError';
  }
}

/**
 * Uploaded import archives, between the gateway (which streams a request body in) and the capture-worker
 * (which streams it out to a temporary file and deletes it after the run): one JetStream Object Store
 * bucket per namespace (`<NS>_IMPORTS`, stream `OBJ_<NS>_IMPORTS`), objects named `<tenant id>/<upload id>`, kept
 * at most IMPORT_UPLOAD_MAX_AGE_MS. Neither service reads the other's tables; the bytes never sit whole in memory
 * (the store chunks them, 128 KiB each).
 */
@Injectable()
export class ImportUploads {
  private bucket?: Promise<ObjectStore>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(JETSTREAM_NAMES) private readonly names: JetStreamNames,
    private readonly config: CommonConfig,
  ) {}

  /** Opens (creating when missing) the bucket; idempotent, safe to race. */
  private store(): Promise<ObjectStore> {
    this.bucket ??= new Objm(this.connection)
      .create(this.names.importBucket, { ttl: nanos(IMPORT_UPLOAD_MAX_AGE_MS), storage: StorageType.File, replicas: this.config.NATS_STREAM_REPLICAS })
      .catch((error: unknown) => {
        this.bucket = undefined;
        throw error;
      });
    return this.bucket;
  }

  /** Streams `source` in as `uploadId`; past `limitBytes` it stops, deletes what was stored and throws ImportUploadTooLargeError. Returns the size. */
  async put(tenantId: string, uploadId: string, source: AsyncIterable<Uint8Array>, limitBytes: number): Promise<number> {
    const store = await this.store();
    let size = 0;
    const counted = async function* () {
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > limitBytes) throw new ImportUploadTooLargeError(limitBytes);
        yield chunk;
      }
    };
    try {
      const chunks = counted();
      const readable = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await chunks.next();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        async cancel() {
          await chunks.return(undefined);
        },
      });
      await store.put({ name: objectName(tenantId, uploadId) }, readable);
    } catch (error) {
      await this.delete(tenantId, uploadId).catch(() => undefined);
      throw error;
    }
    return size;
  }

  /** Writes the upload into `path` (created or truncated); false when there is no such upload (expired or deleted). */
  async download(tenantId: string, uploadId: string, path: string): Promise<boolean> {
    const store = await this.store();
    const result = await store.get(objectName(tenantId, uploadId));
    if (!result) return false;
    const file = createWriteStream(path);
    try {
      const reader = result.data.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!file.write(value)) await once(file, 'drain');
      }
      const failure = await result.error;
      if (failure) throw failure;
    } finally {
      file.end();
      await once(file, 'close');
    }
    return true;
  }

  /** Removes the upload (its chunks are purged); nothing when it is gone already. */
  async delete(tenantId: string, uploadId: string): Promise<void> {
    const store = await this.store();
    const name = objectName(tenantId, uploadId);
    if (await store.info(name)) await store.delete(name);
  }
}
