// The engine's errors as JavaScript classes: one class per error code, each carrying where the
// input was wrong (`location`: line, column, element path, field name or JSON pointer).

/** Every error this package throws. */
export class PunchoutError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The engine refused its input; `code` says why and `location` where. */
export class RejectedError extends PunchoutError {
  constructor(code, message, location = {}) {
    super(message);
    this.code = code;
    this.location = location;
  }
}

const REJECTIONS = {
  'malformed-xml': class MalformedXmlError extends RejectedError {},
  'forbidden-xml': class ForbiddenXmlError extends RejectedError {},
  'unsupported-encoding': class UnsupportedEncodingError extends RejectedError {},
  'limit-exceeded': class LimitExceededError extends RejectedError {},
  'invalid-document': class InvalidDocumentError extends RejectedError {},
  'invalid-value': class InvalidValueError extends RejectedError {},
  'unknown-buyer': class UnknownBuyerError extends RejectedError {},
  'authentication-failed': class AuthenticationFailedError extends RejectedError {},
  'return-url-not-allowed': class ReturnUrlNotAllowedError extends RejectedError {},
  'unsupported-operation': class UnsupportedOperationError extends RejectedError {},
  'invalid-profile': class InvalidProfileError extends RejectedError {},
  'invalid-cart': class InvalidCartError extends RejectedError {},
  'invalid-session': class InvalidSessionError extends RejectedError {},
  'invalid-order': class InvalidOrderError extends RejectedError {},
};

export const {
  'malformed-xml': MalformedXmlError,
  'forbidden-xml': ForbiddenXmlError,
  'unsupported-encoding': UnsupportedEncodingError,
  'limit-exceeded': LimitExceededError,
  'invalid-document': InvalidDocumentError,
  'invalid-value': InvalidValueError,
  'unknown-buyer': UnknownBuyerError,
  'authentication-failed': AuthenticationFailedError,
  'return-url-not-allowed': ReturnUrlNotAllowedError,
  'unsupported-operation': UnsupportedOperationError,
  'invalid-profile': InvalidProfileError,
  'invalid-cart': InvalidCartError,
  'invalid-session': InvalidSessionError,
  'invalid-order': InvalidOrderError,
} = REJECTIONS;

/** The error codes the engine knows, in the WIT's order. */
export const ERROR_CODES = Object.freeze(Object.keys(REJECTIONS));

/**
 * The guest stopped (a bug, or the memory cap): its instance was discarded and the next call runs
 * on a new one.
 */
export class TrapError extends PunchoutError {}

/** A call ran past the engine's deadline: its worker was stopped and replaced. */
export class DeadlineExceededError extends TrapError {}

/** The engine was closed, or the package was used wrongly (an unknown function, a foreign profile). */
export class HostError extends PunchoutError {}

/** The engine's error record as the class of its code. */
export function rejection({ code, message, location }) {
  const Class = REJECTIONS[code];
  if (!Class) {
    return new HostError(`the engine answered an unknown error code \`${code}\`: ${message}`);
  }
  return new Class(code, message, withoutUndefined(location ?? {}));
}

function withoutUndefined(location) {
  return Object.fromEntries(Object.entries(location).filter(([, value]) => value !== undefined));
}
