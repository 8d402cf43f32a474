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
// Message actions (§9.6–9.9, §10, §11).
export type ReactionGroup = Schemas['ReactionGroup'];
export type ReadReceipt = Schemas['ReadReceipt'];
export type PinnedMessage = Schemas['PinnedMessage'];
export type ForwardedMessage = Schemas['ForwardedMessage'];
export type UserSettings = Schemas['UserSettings'];
export type Role = Schemas['Role'];
export type SendMessageRequest = Schemas['SendMessageRequest'];
export type UploadedFile = Schemas['UploadedFile'];
export type Sticker = Schemas['Sticker'];
export type ChatDetail = Schemas['ChatDetail'];
export type CreatedChat = Schemas['CreatedChat'];
export type PublicUser = Schemas['PublicUser'];
export type Profile = Schemas['Profile'];
export type WsChatUpdated = Schemas['WsChatUpdated'];
export type WsChatMemberJoined = Schemas['WsChatMemberJoined'];
export type WsChatMemberLeft = Schemas['WsChatMemberLeft'];
export type WsPresence = Schemas['WsPresence'];
// Profiles, chat info, invites, settings (area `profile`).
export type ChatMember = Schemas['ChatMember'];
export type Invite = Schemas['Invite'];
export type InvitePreview = Schemas['InvitePreview'];
export type InviteJoined = Schemas['InviteJoined'];
export type PublicChat = Schemas['PublicChat'];
export type UpdateSettingsRequest = Schemas['UpdateSettingsRequest'];
export type LastSeenApprox = Schemas['LastSeenApprox'];
