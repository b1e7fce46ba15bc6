import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { MAX_PAGE_SIZE, type DocumentationPage } from '@policyvault/contracts';
import { openRaw, type StreamResponse } from '../../common/http-response.js';
import { GatewayErrorCode } from '../../errors/gateway-error-code.js';
import { GatewayException } from '../../errors/gateway.exception.js';
import type { TenantAccess } from '../../tenants/tenant-access.js';
import { BackupStoreClient } from '../backup-store.client.js';
import { attachmentDisposition, safeFileStem } from '../export-layout.js';
import { documentPolicy } from './policy-document.js';
import { reportWriter, type ReportFormat, type ReportHeader } from './report-writers.js';

/** Items per documentation page asked of the backup store (it also ends a page at its snapshot byte budget). */
const REPORT_PAGE_SIZE = 50;

/**
 * Streams a backup set's as-built documentation (Markdown or HTML): first the outline (every item's type and
 * name, no snapshots) for the header, counts and table of contents, then the items page by page, in the
 * same order (policy type, display name, id), each rendered with the setting definitions its page came with.
 * Memory holds the outline and one page; the response's backpressure paces the paging.
 */
@Injectable()
export class BackupSetReportService {
  private readonly logger = new Logger('BackupSetReport');

  constructor(private readonly backupStore: BackupStoreClient) {}

  async report(access: TenantAccess, backupSetId: string, format: ReportFormat, reply: StreamResponse): Promise<void> {
    const { tenantId } = access;
    const set = await this.backupStore.getBackupSet({ tenantId, backupSetId });
    if (set.status !== 'complete' && set.status !== 'partial') {
      throw new GatewayException(GatewayErrorCode.Conflict, `backup set is ${set.status}; only a complete or partial backup set can be documented`);
    }
    const header: ReportHeader = {
      setName: set.name,
      setId: set.id,
      status: set.status,
      tenantName: access.displayName,
      tenantId,
      createdAt: set.createdAt,
      completedAt: set.completedAt,
      generatedAt: new Date().toISOString(),
      itemCount: 0,
      types: [],
    };
    for (let cursor: string | undefined, more = true; more; ) {
      const outline = await this.backupStore.documentBackupItems({ tenantId, backupSetId, outline: true, limit: MAX_PAGE_SIZE, cursor });
      for (const item of outline.items) {
        let type = header.types[header.types.length - 1];
        if (type?.policyType !== item.policyType) header.types.push((type = { policyType: item.policyType, label: item.policyTypeLabel, items: [] }));
        type.items.push({ id: item.id, displayName: item.displayName });
        header.itemCount += 1;
      }
      cursor = outline.nextCursor ?? undefined;
      more = cursor !== undefined;
    }
    const nextPage = (cursor?: string) => this.backupStore.documentBackupItems({ tenantId, backupSetId, limit: REPORT_PAGE_SIZE, cursor });
    // The first page before any byte is sent: until then every failure is an ordinary HTTP error answer.
    let page: DocumentationPage | null = await nextPage();
    const writer = reportWriter(format);
    const response = openRaw(reply);
    response.statusCode = 200;
    response.setHeader('content-type', writer.contentType);
    response.setHeader('content-disposition', attachmentDisposition(`${safeFileStem(set.name, 'backup-set')}-${set.createdAt.slice(0, 10)}-as-built.${writer.extension}`));
    response.setHeader('cache-control', 'no-store');
    // Opened in a browser from this origin, the page runs nothing and loads nothing: its styles are inline.
    response.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    response.setHeader('x-content-type-options', 'nosniff');

    const counts = new Map(header.types.map((type) => [type.policyType, type.items.length]));
    let currentType: string | null = null;
    try {
      await this.write(response, writer.header(header));
      while (page && !response.destroyed) {
        for (const item of page.items) {
          if (item.policyType !== currentType) {
            if (currentType !== null) await this.write(response, writer.typeEnd());
            currentType = item.policyType;
            await this.write(response, writer.typeStart(item.policyType, item.policyTypeLabel, counts.get(item.policyType) ?? 0));
          }
          await this.write(response, writer.policy(documentPolicy(item, page.settingDefinitions)));
        }
        page = page.nextCursor ? await nextPage(page.nextCursor) : null;
      }
      if (response.destroyed) return;
      if (currentType !== null) await this.write(response, writer.typeEnd());
      response.end(writer.end());
    } catch (error) {
      // Headers are gone: a cut-off download is the only honest answer left.
      this.logger.warn({ tenantId, backupSetId, err: { name: (error as Error).name, message: (error as Error).message } }, 'backup set report aborted');
      response.destroy();
    }
  }

  /** Writes a piece, then waits while the socket is full (or until the client has gone). */
  private async write(response: ServerResponse, text: string): Promise<void> {
    if (text === '' || response.destroyed) return;
    if (response.write(text, 'utf8')) return;
    const settled = new AbortController();
    try {
      await Promise.race([once(response, 'drain', { signal: settled.signal }), once(response, 'close', { signal: settled.signal })]);
    } finally {
      settled.abort();
    }
  }
}
