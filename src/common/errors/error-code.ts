/**
 * Every error code the API can answer with, and its HTTP status. Codes are part of the public
 * contract: add new ones, never rename.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  malformed_json: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  forbidden: 403,
  second_moderator_required: 403,
  not_found: 404,
  invalid_token: 404,
  invalid_invitation: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  account_exists: 409,
  account_deactivated: 409,
  petition_not_editable: 409,
  invalid_transition: 409,
  petition_not_open: 409,
  claimed_by_other: 409,
  already_decided: 409,
  invitation_used: 409,
  petition_has_no_register: 409,
  token_expired: 410,
  invitation_expired: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  request_header_fields_too_large: 431,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  field: string;
  message: string;
}

/** The body of every error response. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: unknown[];
  requestId?: string;
}
