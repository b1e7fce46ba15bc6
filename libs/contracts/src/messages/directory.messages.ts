// The gateway's directory (users and memberships), for services that address people by their role in
// a tenant: request/reply served by the gateway (queue group "gateway").
import { IsUUID } from 'class-validator';

export class ListTenantOwnersRequest {
  @IsUUID('all')
  tenantId: string;
}

export interface TenantOwnersReply {
  /** The owners of the tenant now (users with the owner role in it). */
  owners: Array<{ userId: string; email: string }>;
}
