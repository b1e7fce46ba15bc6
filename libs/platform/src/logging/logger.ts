import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

/** Paths that must never reach a log line, wherever they appear. */
export const REDACTED_LOG_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'password',
  '*.password',
  // NATS connection options (`pass`) and the service's NATS_PASSWORD, should either ever reach a log call.
  'pass',
  '*.pass',
  'NATS_PASSWORD',
  '*.NATS_PASSWORD',
  // The notifier's SMTP password (nodemailer's `auth.pass` is covered by `*.pass`).
  'SMTP_PASSWORD',
  '*.SMTP_PASSWORD',
  'secret',
  '*.secret',
];

export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** Nest's LoggerService on top of pino, so framework and application logs share one JSON stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...context: unknown[]): void {
    this.write('info', message, context);
  }
  error(message: unknown, ...context: unknown[]): void {
    this.write('error', message, context);
  }
  warn(message: unknown, ...context: unknown[]): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, ...context: unknown[]): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, ...context: unknown[]): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, ...context: unknown[]): void {
    this.write('fatal', message, context);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, context: unknown[]): void {
    const scope = typeof context[context.length - 1] === 'string' ? (context[context.length - 1] as string) : undefined;
    if (message instanceof Error) {
      this.logger[level]({ scope, err: { name: message.name, message: message.message } }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ scope, ...(message as object) });
    } else {
      this.logger[level]({ scope }, String(message));
    }
  }
}
