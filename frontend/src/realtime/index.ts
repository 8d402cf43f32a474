export { RealtimeSession, MIN_BACKOFF_MS, MAX_BACKOFF_MS } from './session';
export type { SessionOptions, SocketLike, Status, ServerEvent } from './session';
