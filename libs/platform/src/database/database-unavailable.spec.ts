import pg from 'pg';
import { isDatabaseUnavailableError } from './database-unavailable.js';

describe('isDatabaseUnavailableError', () => {
  it('recognises a refused connection as node-postgres reports it', async () => {
    // Port 1 is privileged and unused: the connect is refused at once.
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:1/postgres', connectionTimeoutMillis: 2000 });
    const error = await client.connect().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it.each([
    ['an immediate stop (57P01) inside a QueryFailedError', { name: 'QueryFailedError', message: 'terminating connection due to administrator command', driverError: { code: '57P01' } }],
    ['a server starting up (57P03)', { message: 'the database system is starting up', code: '57P03' }],
    ['a connection exception (class 08)', { message: 'connection failure', code: '08006' }],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['one refused address of several', { name: 'AggregateError', message: '', errors: [{ code: 'ECONNREFUSED' }] }],
    ['a wrapped cause', { message: 'could not start', cause: { code: 'ECONNRESET' } }],
  ])('recognises %s', (_name, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', { name: 'QueryFailedError', message: 'duplicate key', driverError: { code: '23505' } }],
    ['a syntax error', { message: 'syntax error at or near', code: '42601' }],
    ['a plain bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('leaves %s alone', (_name, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(false);
  });
});
