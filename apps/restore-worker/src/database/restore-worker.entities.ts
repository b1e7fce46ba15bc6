import { RejectedMessageEntity } from '@policyvault/platform';
import { DriftItemEntity } from '../drift/drift-item.entity.js';
import { DriftReportEntity } from '../drift/drift-report.entity.js';
import { ExecutedItemEntity } from '../execute/executed-item.entity.js';
import { PreviewItemEntity } from '../preview/preview-item.entity.js';
import { PreviewEntity } from '../preview/preview.entity.js';

/** Every table of the `restore` schema, described exactly as the migrations make it. */
export const RESTORE_WORKER_ENTITIES = [PreviewEntity, PreviewItemEntity, ExecutedItemEntity, DriftReportEntity, DriftItemEntity, RejectedMessageEntity];
