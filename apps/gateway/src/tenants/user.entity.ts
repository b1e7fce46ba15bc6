import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A person who may sign in. Matched to a bearer token by lower-cased email. Users are created by the
 * seed (or an administrator), not on first sign-in: a token alone grants nothing without a membership.
 */
@Entity({ name: 'users' })
@Unique('users_email_key', ['email'])
@Check('users_email_lower_case', `"email" = lower("email")`)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200, nullable: true })
  displayName: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
