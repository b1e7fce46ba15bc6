/** A gateway error answer (`{ statusCode, error, message }`), kept whole so pages can show the API's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isForbidden(): boolean {
    return this.status === 403;
  }

  /** The gateway's `message` is a sentence or one entry per invalid field. */
  static async fromResponse(response: Response): Promise<ApiError> {
    let message = `${response.status} ${response.statusText}`.trim();
    try {
      const body = (await response.json()) as { message?: unknown };
      if (typeof body.message === 'string') message = body.message;
      else if (Array.isArray(body.message)) message = body.message.map(String).join('; ');
    } catch {
      // not JSON: keep the status line
    }
    return new ApiError(response.status, message);
  }
}

export function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.isForbidden;
}
