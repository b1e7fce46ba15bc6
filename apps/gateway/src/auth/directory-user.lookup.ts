import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DirectoryRole } from '@policyvault/contracts';
import { ExpiringCache } from '../common/expiring-cache.js';
import { GatewayConfig } from '../gateway.config.js';
import { UserEntity } from '../tenants/user.entity.js';

const USER_CACHE_SIZE = 50_000;

/** What the gateway's directory says about a signed-in email. */
export interface DirectoryUser {
  userId: string | null;
  directoryRole: DirectoryRole | null;
}

/**
 * The caller's user row (id and directory role), looked up by email after the token is verified.
 * Answers are reused for MEMBERSHIP_CACHE_TTL_MS, the same trade-off as membership lookups: a
 * revoked directory role keeps working on another replica for up to that long.
 */
@Injectable()
export class DirectoryUserLookup {
  private readonly cache = new ExpiringCache<string, Promise<DirectoryUser>>(USER_CACHE_SIZE);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: GatewayConfig,
  ) {}

  find(email: string): Promise<DirectoryUser> {
    const cached = this.cache.get(email);
    if (cached) return cached;
    const lookup = this.load(email);
    this.cache.set(email, lookup, this.config.MEMBERSHIP_CACHE_TTL_MS);
    lookup.catch(() => this.cache.delete(email));
    return lookup;
  }

  /** Drops this replica's answer for the email (after the directory changed it). */
  forget(email: string): void {
    this.cache.delete(email);
  }

  private async load(email: string): Promise<DirectoryUser> {
    const user = await this.dataSource.getRepository(UserEntity).findOne({ where: { email }, select: { id: true, directoryRole: true } });
    return { userId: user?.id ?? null, directoryRole: user?.directoryRole ?? null };
  }
}
