import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { flattenValidationErrors } from '@policyvault/platform';
import type { AuthenticatedIdentity } from '../auth/authenticated-identity.js';
import { httpStatusOf } from '../errors/gateway-exception.filter.js';
import { GatewayException } from '../errors/gateway.exception.js';
import { CreateTenantBody } from './tenant.body.js';
import { parseTenantCsv, type TenantCsvRow } from './tenant-csv.js';
import { TenantLifecycleService } from './tenant-lifecycle.service.js';
import type { BulkOnboardingResponse, BulkOnboardingRowResponse } from './tenant.response.js';

/** Domains resolved at once (Entra's discovery is the slow part); rows are then created in line order. */
const RESOLVE_CONCURRENCY = 8;

type Resolution = { line: number; body: CreateTenantBody; directoryId: string } | BulkOnboardingRowResponse;

/**
 * Onboards every row of a CSV body as `POST /api/tenants` would, answering per row: created (with its
 * consent link and access check) or the error that row alone would have answered. Rows are created
 * in line order, so of two rows naming one directory the first is created and the second is a 409.
 */
@Injectable()
export class BulkOnboardingService {
  constructor(private readonly lifecycle: TenantLifecycleService) {}

  /** `idempotencyKey`: the Idempotency-Key's anchor, passed with each row's access check (one per tenant). */
  async onboard(admin: AuthenticatedIdentity, csv: string, options: { idempotencyKey?: string } = {}): Promise<BulkOnboardingResponse> {
    const { rows, problems } = parseTenantCsv(csv);
    const resolutions = await resolveLimited(rows, (row) => this.resolve(row));
    const results: BulkOnboardingRowResponse[] = problems.map(({ line, message }) => ({ line, status: 'error', error: { statusCode: 400, message } }));
    for (const resolution of resolutions) {
      if ('status' in resolution) {
        results.push(resolution);
        continue;
      }
      const { line, body, directoryId } = resolution;
      results.push(
        await this.lifecycle.onboard(admin, { directoryId, displayName: body.displayName, tags: body.tags }, options).then(
          (result): BulkOnboardingRowResponse => ({ line, status: 'created', result }),
          (error: unknown) => rowError(line, error),
        ),
      );
    }
    results.sort((a, b) => a.line - b.line);
    const created = results.filter((row) => row.status === 'created').length;
    return { created, failed: results.length - created, rows: results };
  }

  /** The row validated like a JSON body, and its directory id (a domain resolved through discovery). */
  private async resolve({ line, fields }: TenantCsvRow): Promise<Resolution> {
    const body = plainToInstance(CreateTenantBody, fields);
    const problems = flattenValidationErrors(await validate(body, { whitelist: true, forbidNonWhitelisted: true }));
    if (problems.length > 0) return { line, status: 'error', error: { statusCode: 400, message: problems.join('; ') } };
    try {
      return { line, body, directoryId: await this.lifecycle.resolveDirectoryId(body) };
    } catch (error) {
      return rowError(line, error);
    }
  }
}

function rowError(line: number, error: unknown): BulkOnboardingRowResponse {
  if (!(error instanceof GatewayException)) throw error;
  return { line, status: 'error', error: { statusCode: httpStatusOf(error.code), message: error.message } };
}

async function resolveLimited<T, R>(items: readonly T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(RESOLVE_CONCURRENCY, items.length) }, worker));
  return results;
}
