/**
 * A client mistake (or a refusal) of the Reports API, as it is answered: its
 * status, a code, one sentence saying what was wrong and what is allowed, the
 * field it is about, and any headers (Allow, Retry-After).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: string,
    message: string,
    field: string | null = null,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.headers = headers;
  }
}
