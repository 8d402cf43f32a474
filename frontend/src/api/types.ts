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
// Profiles, chat info, invites, settings (area `profile`).
export type Profile = Schemas['Profile'];
export type PublicUser = Schemas['PublicUser'];
export type ChatDetail = Schemas['ChatDetail'];
export type ChatMember = Schemas['ChatMember'];
export type Role = Schemas['Role'];
export type Invite = Schemas['Invite'];
export type InvitePreview = Schemas['InvitePreview'];
export type InviteJoined = Schemas['InviteJoined'];
export type PublicChat = Schemas['PublicChat'];
export type UserSettings = Schemas['UserSettings'];
export type UpdateSettingsRequest = Schemas['UpdateSettingsRequest'];
export type UploadedFile = Schemas['UploadedFile'];
export type LastSeenApprox = Schemas['LastSeenApprox'];
