import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { BackupStoreRpc, DocumentBackupItemsRequest, type DocumentationPage } from '@policyvault/contracts';
import { RpcErrorReplyFilter, parseRpcPayload } from '@policyvault/platform';
import { DocumentationQueriesService } from './documentation-queries.service.js';

/** `rpc.backup.backup-items.documentation.v1` (queue group "capture-worker"), for the gateway's as-built reports. */
@Controller()
@UseFilters(RpcErrorReplyFilter)
export class DocumentationController {
  constructor(private readonly queries: DocumentationQueriesService) {}

  @MessagePattern(BackupStoreRpc.documentBackupItems)
  documentBackupItems(@Payload() payload: unknown): Promise<DocumentationPage> {
    return this.queries.documentBackupItems(parseRpcPayload(DocumentBackupItemsRequest, payload));
  }
}
