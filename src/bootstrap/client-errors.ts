import { randomUUID } from 'node:crypto';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger as Pino } from 'pino';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../common/errors/error-code.js';

/** What the server says when it cannot read a request at all, by Node's error code. */
const CLIENT_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    code: 'request_header_fields_too_large',
    message:
      `The request's headers, its address included, are larger than this server reads ` +
      `(${Math.floor(maxHeaderSize / 1024)} KB in all): send long values in a JSON body`,
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    code: 'request_timeout',
    message: 'The request took too long to arrive',
  },
};
const UNREADABLE = { code: 'validation_failed', message: 'The request is not valid HTTP' } as const;

/**
 * Fastify's `clientErrorHandler`: Node raises these before there is a request (headers over
 * `maxHeaderSize`, a request that is not HTTP, a timeout), so Fastify's hooks and Nest's filter
 * never see them. The answer is written to the socket by hand, with the contract's body, a
 * request id for the log line, and `Connection: close`, since the connection ends after it.
 */
export function clientErrorHandler(logger: Pino): (error: Error, socket: Socket) => void {
  return (error, socket) => {
    const errno = (error as NodeJS.ErrnoException).code ?? '';
    // A reset connection has nobody to answer.
    if (errno === 'ECONNRESET' || socket.destroyed) return;
    const { code, message } = CLIENT_ERRORS[errno] ?? UNREADABLE;
    const statusCode = ERROR_STATUS[code];
    const requestId = randomUUID();
    logger.info({ reqId: requestId, code, statusCode, errno }, 'request refused unread');
    // Node's own rule: never write into a response that has already begun on this socket.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const body: ErrorBody = { statusCode, code, message, details: [] };
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(json)}\r\n` +
        `x-request-id: ${requestId}\r\n` +
        'Connection: close\r\n\r\n' +
        json,
      () => socket.destroy(),
    );
  };
}
