import { jest } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { GatewayConfig } from '../gateway.config.js';
import { GatewayExceptionFilter } from './gateway-exception.filter.js';

/** What the filter answered through the HTTP adapter: status, headers and JSON body. */
function answerTo(exception: unknown) {
  const response = {};
  const headers: Record<string, string> = {};
  const written: { status?: number; body?: unknown } = {};
  const httpAdapter = {
    isHeadersSent: () => false,
    setHeader: (to: unknown, name: string, value: string) => {
      if (to === response) headers[name] = value;
    },
    reply: (to: unknown, body: unknown, status: number) => {
      if (to === response) Object.assign(written, { status, body });
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  const filter = new GatewayExceptionFilter(new GatewayConfig(), { httpAdapter } as unknown as HttpAdapterHost);
  jest.spyOn((filter as unknown as { logger: { warn: () => void; error: () => void } }).logger, 'warn').mockImplementation(() => undefined);
  jest.spyOn((filter as unknown as { logger: { warn: () => void; error: () => void } }).logger, 'error').mockImplementation(() => undefined);
  filter.catch(exception, host);
  return { ...written, headers };
}

describe('GatewayExceptionFilter', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['an immediate stop', Object.assign(new Error('terminating connection due to administrator command'), { name: 'QueryFailedError', driverError: { code: '57P01' } })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
  ])('answers %s of its database 503 with Retry-After and a message, never 500', (_name, exception) => {
    const answer = answerTo(exception);
    expect(answer.status).toBe(503);
    expect(answer.headers['Retry-After']).toBe('5');
    expect(answer.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'the database is not available; try again shortly' });
  });

  it('still answers a bug 500 without details', () => {
    const answer = answerTo(new TypeError('x is undefined'));
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
  });
});
