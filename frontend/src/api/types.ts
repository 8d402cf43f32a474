// Names for the generated API types (schema.d.ts is generated; never edit it).
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Message = Schemas['Message'];
export type ChatListItem = Schemas['ChatListItem'];
export type Me = Schemas['Me'];
export type SentMessage = Schemas['SentMessage'];
export type LoginResponse = Schemas['LoginResponse'];
export type WsServerMessage = Schemas['WsServerMessage'];
export type WsClientMessage = Schemas['WsClientMessage'];
export type { paths };
export type ChatDetail = Schemas['ChatDetail'];
export type CreatedChat = Schemas['CreatedChat'];
export type PublicUser = Schemas['PublicUser'];
export type Profile = Schemas['Profile'];
export type WsChatUpdated = Schemas['WsChatUpdated'];
export type WsChatMemberJoined = Schemas['WsChatMemberJoined'];
export type WsChatMemberLeft = Schemas['WsChatMemberLeft'];
export type WsPresence = Schemas['WsPresence'];
