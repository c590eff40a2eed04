// Which error codes may reach a client with their message intact. Everything else is masked: an
// unexpected exception's text can hold SQL, hostnames or record bodies.
export const CLIENT_SAFE_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED',
  'PURPOSE_REQUIRED', 'PURPOSE_NOT_PERMITTED', 'NOT_FOUND', 'SOURCE_UNAVAILABLE', 'SOURCE_TIMEOUT', 'SOURCE_AUTH', 'BAD_SOURCE_DATA',
  'AUDIT_UNAVAILABLE', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_RESOLUTION_FAILURE', 'BAD_REQUEST',
]);

/** Extension keys a client may see; anything else (stacktrace, exception, serviceName internals) is dropped. */
export const CLIENT_SAFE_EXTENSIONS = ['code', 'agency', 'operation', 'recordId', 'reason', 'agreement', 'field', 'path', 'count', 'http'];
