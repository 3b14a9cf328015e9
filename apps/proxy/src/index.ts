/** @calsync/proxy: a small CORS proxy that lets browser apps reach allowlisted CalDAV servers. */
export { assertAllowedLiteral, createGuardedLookup, isPublicAddress } from './address-policy.ts';
export type { LoadConfigOptions, ProxyConfig, ResolvedProxyConfig, UpstreamConfig } from './config.ts';
export { loadConfig, PROXY_DEFAULTS, resolveConfig } from './config.ts';
export type { OriginDecision } from './cors.ts';
export { PREFLIGHT_MAX_AGE_SECONDS } from './cors.ts';
export {
  BodyBudgetExceededError,
  BodyTooLargeError,
  ForbiddenAddressError,
  ProxyConfigError,
  ProxyError,
  ProxyErrorCode,
  RequestBodyTimeoutError,
  UpstreamDeadlineError,
  UpstreamTimeoutError,
} from './errors.ts';
export type { AllowedMethod } from './headers.ts';
export {
  ALLOWED_METHODS,
  EXPOSED_RESPONSE_HEADERS,
  FORWARDED_REQUEST_HEADERS,
  RETURNED_RESPONSE_HEADERS,
  UPSTREAM_AUTHENTICATE_HEADER,
} from './headers.ts';
export type { ProxyLogger, RequestLogEntry } from './output.ts';
export { fromProxyPath, toProxyUrl } from './proxy-url.ts';
export type { ListenOptions, ProxyServerOptions, RunningProxy } from './server.ts';
export { createProxyServer, HEALTH_PATH, startProxyServer } from './server.ts';
