// One attempt to hand a message to its endpoint: a signed webhook POST (Standard Webhooks), a Teams
// Adaptive Card POST, or an email over SMTP (nodemailer). Answers what happened; the delivery worker
// decides about retries. The signing secret and the SMTP password never leave this file's calls.
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import nodemailer, { type Transporter } from 'nodemailer';
import { NotificationChannelKind } from '@policyvault/contracts';
import { adaptiveCardMessage, emailHtml, emailText, type ChannelMessage } from './channel-message.js';
import { TargetRefusedError, checkTarget, guardedLookup, type TargetRules } from './target-address.js';

export type AttemptOutcome =
  | { ok: true; httpStatus?: number }
  /** `permanent`: retrying cannot help (a 4xx other than 408/429, a refused target). */
  | { ok: false; permanent: boolean; error: string; httpStatus?: number; retryAfterMs?: number };

export interface SendTarget {
  kind: NotificationChannelKind;
  url: string | null;
  emailTo: string[] | null;
  /** The webhook's signing secret (`whsec_…`), opened just for this attempt. */
  secret: string | null;
}

export interface SmtpSettings {
  host?: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  requireTls: boolean;
}

/** A webhook signing secret as the Standard Webhooks convention writes it. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` under the secret's bytes. */
export function webhookSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

export class ChannelSender {
  private transporter: Transporter | undefined;

  constructor(
    private readonly rules: TargetRules,
    private readonly smtp: SmtpSettings,
    private readonly timeoutMs: number,
  ) {}

  get emailConfigured(): boolean {
    return Boolean(this.smtp.host);
  }

  async send(target: SendTarget, deliveryId: string, message: ChannelMessage): Promise<AttemptOutcome> {
    try {
      switch (target.kind) {
        case NotificationChannelKind.Webhook: {
          const timestamp = Math.floor(Date.now() / 1000);
          const body = JSON.stringify({ type: message.kind, timestamp: new Date(timestamp * 1000).toISOString(), data: message });
          const headers: Record<string, string> = { 'webhook-id': deliveryId, 'webhook-timestamp': String(timestamp) };
          if (target.secret) headers['webhook-signature'] = webhookSignature(target.secret, deliveryId, timestamp, body);
          return await this.post(target.url ?? '', body, headers);
        }
        case NotificationChannelKind.Teams:
          return await this.post(target.url ?? '', JSON.stringify(adaptiveCardMessage(message)), {});
        case NotificationChannelKind.Email:
          return await this.email(target.emailTo ?? [], message);
      }
    } catch (error) {
      if (error instanceof TargetRefusedError) return { ok: false, permanent: true, error: error.message };
      return { ok: false, permanent: false, error: describe(error) };
    }
  }

  async close(): Promise<void> {
    this.transporter?.close();
  }

  private async post(url: string, body: string, headers: Record<string, string>): Promise<AttemptOutcome> {
    // Checked again now (an IP literal is never looked up), and each connection's lookup checks what it resolves.
    const target = await checkTarget(url, this.rules);
    const client = target.protocol === 'https:' ? https : http;
    return new Promise<AttemptOutcome>((resolve) => {
      const request = client.request(
        target,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'PolicyVault-Notifier', ...headers },
          lookup: guardedLookup(this.rules) as never,
          timeout: this.timeoutMs,
          agent: false,
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(outcomeOf(response.statusCode ?? 0, response.headers['retry-after'])));
          response.on('error', (error) => resolve({ ok: false, permanent: false, error: describe(error) }));
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      request.on('error', (error) => {
        const refused = (error as NodeJS.ErrnoException).code === 'ETARGETREFUSED';
        resolve({ ok: false, permanent: refused, error: refused ? 'the host resolves to a refused address' : describe(error) });
      });
      request.end(body);
    });
  }

  private async email(to: string[], message: ChannelMessage): Promise<AttemptOutcome> {
    if (!this.smtp.host) return { ok: false, permanent: true, error: 'no SMTP server is configured (SMTP_HOST)' };
    this.transporter ??= nodemailer.createTransport({
      host: this.smtp.host,
      port: this.smtp.port,
      secure: this.smtp.secure,
      requireTLS: this.smtp.requireTls && !this.smtp.secure,
      ...(this.smtp.user ? { auth: { user: this.smtp.user, pass: this.smtp.password ?? '' } } : {}),
      connectionTimeout: this.timeoutMs,
      greetingTimeout: this.timeoutMs,
      socketTimeout: this.timeoutMs,
      logger: false,
      debug: false,
    });
    try {
      await this.transporter.sendMail({ from: this.smtp.from, to, subject: message.title, text: emailText(message), html: emailHtml(message) });
      return { ok: true };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      return { ok: false, permanent: code !== undefined && code >= 500 && code < 600, error: describe(error) };
    }
  }
}

export function outcomeOf(status: number, retryAfter: string | string[] | undefined): AttemptOutcome {
  if (status >= 200 && status < 300) return { ok: true, httpStatus: status };
  const retryable = status === 408 || status === 429 || status >= 500;
  const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  return { ok: false, permanent: !retryable, httpStatus: status, error: `the receiver answered ${status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** Seconds or an HTTP date (RFC 9110); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** An error's class and message, cut short: what the dead letter shows (never headers, bodies or credentials). */
function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const text = error instanceof Error ? error.message : String(error);
  return `${typeof code === 'string' ? `${code}: ` : ''}${text}`.slice(0, 300);
}
