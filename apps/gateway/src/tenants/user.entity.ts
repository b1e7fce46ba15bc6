import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DirectoryRole } from '@policyvault/contracts';

/**
 * A person who may sign in. Matched to a bearer token by lower-cased email. Users are created by the
 * seed, or when an owner or administrator adds them to a tenant, never on first sign-in: a token
 * alone grants nothing without a membership (or the directory role).
 */
@Entity({ name: 'users' })
@Unique('users_email_key', ['email'])
@Check('users_email_lower_case', `"email" = lower("email")`)
@Check('users_directory_role_check', `"directory_role" IN ('admin')`)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200, nullable: true })
  displayName: string | null;

  /** A role across every tenant (null for most users): see DirectoryRole. */
  @Column({ name: 'directory_role', type: 'text', nullable: true })
  directoryRole: DirectoryRole | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
