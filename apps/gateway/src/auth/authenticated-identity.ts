/** Who is calling, as proven by a verified bearer token. */
export interface AuthenticatedIdentity {
  /** Lower-cased; matched against gateway.users.email. */
  email: string;
  /** The identity provider's object id (`oid`) or subject (`sub`), for audit. */
  subject: string;
}
