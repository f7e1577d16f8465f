/**
 * Data API errors as the simulator sends them (data-api.md, "Errors"):
 * `error: {code, message, data: {mnemonic, field, value, params, extended_helper, metadata}}`.
 */

/** Mnemonic → JSON-RPC code, exactly as data-api.md's table. */
export const ERROR_CODES = {
  limit_exceeded: -32029,
  internal_error: -32603,
  access_token_expired: -32001,
  access_token_blocked: -32001,
  access_token_invalid: -32001,
  auth_error: -32001,
  ip_not_whitelisted: -32003,
  forbidden: -32003,
  method_component_disabled: -32008,
  parameter_component_disabled: -32008,
  account_inactive: -32009,
  required_parameter_missed: -32602,
  invalid_parameter_value: -32602,
  unexpected_parameters: -32602,
  invalid_parameters_combination: -32602,
  data_type_error: -32602,
  sort_prohibited: -32602,
  filter_prohibited: -32602,
  date_interval_limit_reached: -32602,
  error: -32602,
  method_not_found: -32601,
  parse_error: -32700,
  invalid_request: -32600,
} as const;

export type Mnemonic = keyof typeof ERROR_CODES;

export interface ApiErrorDetails {
  field?: string | null;
  value?: unknown;
  params?: Record<string, unknown> | null;
  metadata?: Record<string, unknown> | null;
}

/** A JSON-RPC error answer (HTTP 200 with an `error` member). */
export class ApiError extends Error {
  readonly mnemonic: Mnemonic;
  readonly code: number;
  readonly field: string | null;
  readonly value: unknown;
  readonly params: Record<string, unknown> | null;
  metadata: Record<string, unknown> | null;

  constructor(mnemonic: Mnemonic, message: string, details: ApiErrorDetails = {}) {
    super(message);
    this.name = 'ApiError';
    this.mnemonic = mnemonic;
    this.code = ERROR_CODES[mnemonic];
    this.field = details.field ?? null;
    this.value = details.value ?? null;
    this.params = details.params ?? null;
    this.metadata = details.metadata ?? null;
  }

  /** The `error` member of the answer. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      data: {
        mnemonic: this.mnemonic,
        field: this.field,
        value: this.value === undefined ? null : this.value,
        params: this.params,
        extended_helper: null,
        metadata: this.metadata,
      },
    };
  }
}

const SIMULATED_MESSAGES: Partial<Record<Mnemonic, string>> = {
  internal_error: 'Internal error, please try again later',
  access_token_expired: 'Access token has expired',
  access_token_blocked: 'Access token is blocked',
  auth_error: 'Authentication error',
  forbidden: 'Access to the method is forbidden',
  ip_not_whitelisted: 'Your IP address is not in the allowed list',
  method_component_disabled: 'The component of the method is disabled for the account',
  parameter_component_disabled: 'The component of a requested parameter is disabled for the account',
  account_inactive: 'The account is inactive',
  error: 'Error',
};

/** The message the `apiError` fault sends with a mnemonic when none is given. */
export function simulatedMessage(mnemonic: Mnemonic): string {
  return SIMULATED_MESSAGES[mnemonic] ?? `Error: ${mnemonic}`;
}
