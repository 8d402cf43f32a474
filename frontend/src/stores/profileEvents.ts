// Type names shared by the profile area's stores and live-event handlers.
import type { ServerEvent } from '../realtime';
export type { Profile } from '../api/types';

export type ServerEventOf<T extends ServerEvent['type']> = Extract<ServerEvent, { type: T }>;
