import { RpcErrorCode } from '@policyvault/contracts';
import { decodeCursor, encodeCursor } from './cursor.js';
import { RpcException } from './rpc.exception.js';

describe('cursor', () => {
  it('gives back the sort key it was made from', () => {
    const parts = ['2024-05-01T10:00:00.000Z', '9b2f4c1e-0000-4000-8000-000000000001'];
    const cursor = encodeCursor(parts);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 2)).toEqual(parts);
  });

  it.each([
    ['not base64 JSON', 'not a cursor!'],
    ['a sort key of another length', encodeCursor(['a'])],
    ['a key that is not all strings', Buffer.from(JSON.stringify(['a', 2])).toString('base64url')],
    ['an object', Buffer.from(JSON.stringify({ a: 1 })).toString('base64url')],
  ])('refuses %s as a validation error', (_, cursor) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor, 2);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RpcException);
    expect(thrown).toMatchObject({ code: RpcErrorCode.ValidationFailed, message: 'cursor: is not a cursor this API returned' });
  });
});
