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
export type SendMessageRequest = Schemas['SendMessageRequest'];
export type UploadedFile = Schemas['UploadedFile'];
export type Sticker = Schemas['Sticker'];
