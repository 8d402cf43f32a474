// Generated from the OpenAPI document (`chorus openapi`) by scripts/api-types.mjs.
// Do not edit: run `npm run api:types` after changing the API.

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and readiness with a report per dependency. */
        get: operations["health_handler"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Answers 200 while the process runs (for restart decisions). */
        get: operations["live_handler"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics in the text exposition format. */
        get: operations["metrics_handler"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Creates an account */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Logs in and starts a session */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exchanges a refresh token for new tokens */
        post: operations["refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ends the session of a refresh token */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists the public keys that verify tokens */
        get: operations["jwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Returns the caller's account */
        get: operations["get_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Searches active users */
        get: operations["search_users"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/by-username/{username}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Returns a user's profile by username, as an anonymous viewer */
        get: operations["get_user_by_username"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/me/avatar": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Sets the caller's avatar to a file they uploaded */
        put: operations["put_my_avatar"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Returns a user's profile with the presence the target's privacy allows */
        get: operations["get_user"];
        /** Edits the caller's profile */
        put: operations["put_user"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}/avatar": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Redirects to a user's avatar image */
        get: operations["get_avatar"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Returns the caller's settings */
        get: operations["get_settings"];
        /** Changes some of the caller's settings */
        put: operations["put_settings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists the caller's chats (archived ones excluded) */
        get: operations["list_chats"];
        put?: never;
        /** Creates a chat, or finds the existing direct chat */
        post: operations["create_chat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/by-name/{public_name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Looks up a chat by its public name (case-insensitive) */
        get: operations["get_chat_by_name"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Returns a chat with its members */
        get: operations["get_chat"];
        put?: never;
        post?: never;
        /** Deletes a chat with everything in it */
        delete: operations["delete_chat"];
        options?: never;
        head?: never;
        /** Updates a chat's title, description or public name */
        patch: operations["update_chat"];
        trace?: never;
    };
    "/chats/{id}/avatar": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sets a chat's avatar to a file the caller uploaded */
        post: operations["set_chat_avatar"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/favorite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Marks a chat as a favorite of the caller's */
        post: operations["favorite_chat"];
        /** Removes a chat from the caller's favorites */
        delete: operations["unfavorite_chat"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/mute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mutes a chat for the caller (re-posting overwrites) */
        post: operations["mute_chat"];
        /** Unmutes a chat for the caller */
        delete: operations["unmute_chat"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/pin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pins a chat in the caller's list */
        post: operations["pin_chat"];
        /** Unpins a chat from the caller's list */
        delete: operations["unpin_chat"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Archives a chat: it disappears from the caller's list */
        post: operations["archive_chat"];
        /** Brings an archived chat back into the caller's list */
        delete: operations["unarchive_chat"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/leave": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Leaves a chat */
        delete: operations["leave_chat"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/members/{userId}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Makes a member an admin */
        post: operations["promote_member"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/members/{userId}/demote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Makes an admin a plain member again */
        post: operations["demote_member"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/invites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists a chat's active invites, newest first */
        get: operations["list_invites"];
        put?: never;
        /** Creates an invite to a group or channel */
        post: operations["create_invite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/invites/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revokes an invite */
        delete: operations["revoke_invite"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/invites/{token}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Shows what an invite leads to */
        get: operations["preview_invite"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/invites/{token}/join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Joins the chat of an invite */
        post: operations["join_invite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists a chat's messages, oldest first */
        get: operations["list_messages"];
        put?: never;
        /** Sends a message */
        post: operations["send_message"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/messages/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Searches a chat's text messages, newest first */
        get: operations["search_messages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/messages/forward": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Copies messages of another chat into this one */
        post: operations["forward_messages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/messages/{messageId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Edits a text message of the caller's */
        put: operations["edit_message"];
        post?: never;
        /** Deletes a message for the caller or for everyone */
        delete: operations["delete_message"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/messages/{messageId}/pin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pins a message, replacing the chat's pinned one */
        post: operations["pin_message"];
        /** Unpins the chat's pinned message */
        delete: operations["unpin_message"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/pinned-message": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Gets the chat's pinned message */
        get: operations["get_pinned"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/messages/{messageId}/reactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Adds the caller's emoji to a message, or removes it if already there */
        post: operations["toggle_reaction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/reactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Gets the reactions of several messages */
        get: operations["get_reactions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Marks the whole chat read */
        post: operations["mark_read"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chats/{id}/read-receipts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists the other members' read positions */
        get: operations["get_read_receipts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Uploads a file
         * @description The first part with a filename is stored, whatever its field name; any
         *     media type is accepted. Avatars and voice messages are uploaded here too,
         *     then referred to by the returned `id`.
         */
        post: operations["upload_file"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/files/{id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Redirects to a file's bytes
         * @description For its uploader, members of a chat where it is attached, and everyone for
         *     a file in use as an avatar or sticker (D12).
         */
        get: operations["download_file"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stickers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists all stickers */
        get: operations["list_stickers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stickers/{id}/image": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Redirects to a sticker's image */
        get: operations["sticker_image"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ws": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Opens the realtime WebSocket
         * @description A standard WebSocket upgrade; it needs no credentials (query parameters
         *     such as `?token=` are ignored). The client authenticates in-band: its first
         *     frame is `auth`, after which the server sends nothing before `auth_ok`.
         *     Every application message is a UTF-8 text frame holding one JSON object
         *     with a string `type`: the client sends the `WsClientMessage` frames and
         *     receives the `WsServerMessage` frames (the `Ws*` schemas of this
         *     document; CONTRACT §16). Connections silent for more than 60 s may be closed.
         */
        get: operations["upgrade"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin-api/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Dashboard numbers and the 14-day trends */
        get: operations["get_stats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin-api/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists users, newest first */
        get: operations["list_users"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin-api/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One user with their chats and recent messages */
        get: operations["admin_get_user"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin-api/users/{id}/{action}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Blocks, unblocks, soft-deletes or toggles admin */
        post: operations["user_action"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin-api/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lists every message (deleted ones included), newest first */
        get: operations["admin_list_messages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin-api/messages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Deletes a message for everyone (moderation; audited) */
        delete: operations["admin_delete_message"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin-api/support/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every active user but the support account, by username */
        get: operations["support_users"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin-api/support/chats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The support account's chats, most recently updated first */
        get: operations["support_chats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin-api/support/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The 50 most recent support messages, newest first */
        get: operations["support_messages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin-api/support/send": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sends a message as the support account to a user or a chat (audited) */
        post: operations["support_send"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin-api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log of admin actions, newest first */
        get: operations["list_audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description One line of `GET /admin-api/messages` (§14.5). */
        AdminMessage: {
            /** Format: int64 */
            id: number;
            /** Format: int64 */
            chat_id: number;
            /** Format: int64 */
            sender_id: number;
            content: string | null;
            message_type: string;
            created_at: components["schemas"]["Timestamp"];
            /** @description The raw stored values, no fallback. */
            sender_username: string;
            sender_display_name: string | null;
            chat_name: string | null;
            chat_type: string;
            /** @description Deleted for everyone (additive). */
            is_deleted: boolean;
        };
        AdminMessagePage: {
            messages: components["schemas"]["AdminMessage"][];
            /** Format: int64 */
            page: number;
            /** Format: int64 */
            per_page: number;
            /** Format: int64 */
            total: number;
            /** Format: int64 */
            total_pages: number;
        };
        /** @description `GET /admin-api/stats` (§14.1). */
        AdminStats: {
            /** Format: int64 */
            total_users: number;
            /** Format: int64 */
            dau: number;
            /** Format: int64 */
            wau: number;
            /** Format: int64 */
            total_chats: number;
            /** @description Only types with at least one chat (`direct`, `group`, `channel`). */
            chats_by_type: {
                [key: string]: number;
            };
            /** Format: int64 */
            total_messages: number;
            /** Format: int64 */
            messages_today: number;
            /** Format: int64 */
            new_users_today: number;
            /** Format: int64 */
            blocked_users: number;
            /** @description Active users per creation day since today − 14 days, ascending, no zero days. */
            reg_trend: components["schemas"]["DayCount"][];
            /** @description Messages per day, same window and rules. */
            msg_trend: components["schemas"]["DayCount"][];
        };
        /** @description One line of `GET /admin-api/users` (§14.2). */
        AdminUser: {
            /** Format: int64 */
            id: number;
            username: string;
            display_name: string | null;
            email: string;
            is_active: boolean;
            is_admin: boolean;
            is_blocked: boolean;
            created_at: components["schemas"]["Timestamp"];
            last_activity: components["schemas"]["Timestamp"] | null;
        };
        /** @description A membership of the user (§14.3). */
        AdminUserChat: {
            /** Format: int64 */
            id: number;
            type: string;
            name: string | null;
            title: string | null;
            role: string;
            joined_at: components["schemas"]["Timestamp"];
            /** Format: int64 */
            member_count: number;
        };
        AdminUserDetail: {
            user: components["schemas"]["AdminUserFull"];
            /**
             * Format: int64
             * @description Every message the user ever sent.
             */
            message_count: number;
            /** @description All memberships, `joined_at` descending. */
            chats: components["schemas"]["AdminUserChat"][];
            /** @description The 50 most recent messages sent by the user (deleted included), newest first. */
            messages: components["schemas"]["AdminUserMessage"][];
        };
        /** @description The account in `GET /admin-api/users/{id}` (§14.3). */
        AdminUserFull: {
            /** Format: int64 */
            id: number;
            username: string;
            display_name: string | null;
            email: string;
            bio: string | null;
            is_active: boolean;
            is_admin: boolean;
            is_blocked: boolean;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
            last_activity: components["schemas"]["Timestamp"] | null;
        };
        /** @description One of the user's recent messages (§14.3). */
        AdminUserMessage: {
            /** Format: int64 */
            id: number;
            /** Format: int64 */
            chat_id: number;
            content: string | null;
            message_type: string;
            created_at: components["schemas"]["Timestamp"];
            chat_name: string | null;
            chat_type: string;
            /** @description Deleted for everyone (additive). */
            is_deleted: boolean;
        };
        AdminUserPage: {
            users: components["schemas"]["AdminUser"][];
            /** Format: int64 */
            page: number;
            /** Format: int64 */
            per_page: number;
            /** Format: int64 */
            total: number;
            /**
             * Format: int64
             * @description `max(1, ceil(total / per_page))`
             */
            total_pages: number;
        };
        /** @description One entry of `GET /admin-api/audit` (additive). */
        AuditEntry: {
            /** Format: int64 */
            id: number;
            /** Format: int64 */
            admin_id: number;
            /** @description The admin's current username (empty when the account is gone). */
            admin_username: string;
            /** @description `block`, `unblock`, `soft-delete`, `toggle-admin`, `support-send`, `message-delete` */
            action: string;
            /** @description `user`, `chat` or `message` */
            target_type: string;
            /** Format: int64 */
            target_id: number;
            /** @description What else the action involved (e.g. the support message's id and chat). */
            detail: Record<string, never> | null;
            /** @description The admin's address. */
            ip: string | null;
            created_at: components["schemas"]["Timestamp"];
        };
        AuditPage: {
            entries: components["schemas"]["AuditEntry"][];
            /** Format: int64 */
            page: number;
            /** Format: int64 */
            per_page: number;
            /** Format: int64 */
            total: number;
            /** Format: int64 */
            total_pages: number;
        };
        /** @description The chat's new avatar. */
        ChatAvatar: {
            avatar_url: string | null;
        };
        /** @description `GET /chats/{id}` (§7.4). */
        ChatDetail: components["schemas"]["ChatFields"] & {
            owner_id: components["schemas"]["UserId"];
            created_at: components["schemas"]["Timestamp"];
            avatar_url: string | null;
            /** @description `joined_at` ascending. */
            members: components["schemas"]["ChatMember"][];
            /** Format: int64 */
            member_count: number;
            /** @description The caller's role in the chat. */
            my_role: components["schemas"]["Role"];
        };
        /** @description A chat's stored descriptive fields (§7.1); also the answer of `PATCH /chats/{id}`. */
        ChatFields: {
            id: components["schemas"]["ChatId"];
            type: components["schemas"]["ChatType"];
            /** @description Free text; for channels the title given at creation. */
            name: string | null;
            title: string | null;
            description: string | null;
            /** @description Unique case-insensitively; null when not set. */
            public_name: string | null;
        };
        /**
         * Format: int64
         * @description A direct chat, group or channel (`chat.chats.id`).
         */
        ChatId: number;
        /** @description One line of `GET /chats` (§7.3). */
        ChatListItem: components["schemas"]["ChatFields"] & {
            /** @description The later of the chat's own `updated_at` and its last message's time. */
            updated_at: components["schemas"]["Timestamp"];
            /**
             * @description `content` of the latest message neither deleted for everyone nor hidden for
             *     the caller; `""` for non-text messages; null when there is none.
             */
            last_message: string | null;
            last_at: components["schemas"]["Timestamp"] | null;
            is_favorite: boolean;
            /** @description True whenever a mute record exists, regardless of `muted_until`. */
            is_muted: boolean;
            /** @description Pinned in the caller's list (not a pinned message). */
            is_pinned: boolean;
            /** @description Always false: archived chats are not listed. */
            is_archived: boolean;
            /** Format: int64 */
            unread_count: number;
            other_user_id: components["schemas"]["UserId"] | null;
            other_username: string | null;
            /** @description The other member's display name, falling back to the username. */
            other_display_name: string | null;
            other_avatar_url: string | null;
            /**
             * @description Present only when `other_user_id` is non-null; false when the other member
             *     hides their presence from the caller (§17.4).
             */
            other_is_online?: boolean;
            /** @description The chat's own avatar (groups and channels). */
            avatar_url: string | null;
            /** Format: int64 */
            member_count: number;
        };
        /** @description A member in [`ChatDetail`]. */
        ChatMember: {
            id: components["schemas"]["UserId"];
            /** @description `""` for an account the auth service no longer knows. */
            username: string;
            /** @description The stored display name, without falling back to the username. */
            display_name: string | null;
            role: components["schemas"]["Role"];
            joined_at: components["schemas"]["Timestamp"];
            avatar_url: string | null;
        };
        /**
         * @description `direct`, `group` or `channel`.
         * @enum {string}
         */
        ChatType: "direct" | "group" | "channel";
        Check: {
            status: components["schemas"]["CheckStatus"];
            error?: string | null;
        };
        /** @enum {string} */
        CheckStatus: "up" | "down";
        /**
         * @description `POST /chats` (§7.2). Absent strings are `""`; values of other types are
         *     read as their JSON text.
         */
        CreateChatRequest: {
            /** @default null */
            type: components["schemas"]["ChatType"] | null;
            /** @default  */
            name: string;
            /**
             * @description Required (non-empty) for channels.
             * @default
             */
            title: string;
            /** @default  */
            description: string;
            /**
             * @description `""` means none; unique case-insensitively.
             * @default
             */
            public_name: string;
            /**
             * @description The other participants: integers or integer strings (other items are skipped).
             *     A direct chat names exactly one other user, or only the caller (a self-chat).
             * @default []
             */
            member_ids: components["schemas"]["UserId"][];
        };
        /** @description The created (or, for direct chats, found) chat. */
        CreatedChat: {
            id: components["schemas"]["ChatId"];
            type: components["schemas"]["ChatType"];
            /** @description Groups and channels only, when the title is non-empty. */
            title?: string;
        };
        /** @description Count of one UTC day. */
        DayCount: {
            /** @description `YYYY-MM-DD` */
            day: string;
            /** Format: int64 */
            count: number;
        };
        /** @description `DELETE /chats/{id}/messages/{messageId}` (§9.7); the body is optional. */
        DeleteMessageRequest: {
            /**
             * @description Delete for every member (sender or chat admin, within 48 hours); by
             *     default the message is hidden for the caller only.
             * @default false
             */
            for_everyone: boolean;
        };
        /** @description `PUT /chats/{id}/messages/{messageId}` (§9.6). */
        EditMessageRequest: {
            /**
             * @description The new text: non-empty, at most 10 000 characters.
             * @default null
             */
            content: string | null;
        };
        /** @description The answer to an edit (§9.6). */
        EditedMessage: {
            content: string;
            id: components["schemas"]["MessageId"];
            /** @description Always `true`. */
            is_edited: boolean;
            updated_at: components["schemas"]["Timestamp"];
        };
        /** @description Every error body (CONTRACT §1.3): `{"error": "<text>"}`. */
        ErrorBody: {
            /**
             * @description The contract's text for this failure, shown verbatim by clients.
             * @example Chat not found or access denied
             */
            error: string;
        };
        /**
         * Format: int64
         * @description An uploaded file or sticker image (`media.files.id`).
         */
        FileId: number;
        /**
         * @description The `multipart/form-data` body of `POST /files`: the first part with a
         *     filename is the upload, whatever its field name (the client uses `file`);
         *     other parts are ignored.
         */
        FileUploadForm: {
            /**
             * Format: binary
             * @description The file's bytes; its part's `Content-Type` becomes `mime_type`.
             */
            file: string;
        };
        /** @description `POST /chats/{id}/messages/forward` (§9.8). */
        ForwardMessagesRequest: {
            /**
             * Format: int64
             * @description The source chat.
             * @default 0
             */
            from_chat_id: number;
            /**
             * @description 1–100 ids; ids not of the source chat (or deleted) are skipped.
             * @default []
             */
            message_ids: number[];
        };
        /** @description One copy made by a forward (§9.8). */
        ForwardedMessage: {
            chat_id: components["schemas"]["ChatId"];
            content: string;
            created_at: components["schemas"]["Timestamp"];
            forwarded_from_chat_id: components["schemas"]["ChatId"] | null;
            /** @description The original author's display name; omitted if empty. */
            forwarded_from_display_name?: string;
            forwarded_from_message_id: components["schemas"]["MessageId"] | null;
            forwarded_from_user_id: components["schemas"]["UserId"] | null;
            id: components["schemas"]["MessageId"];
            message_type: string;
            sender_id: components["schemas"]["UserId"];
            /** Format: int64 */
            seq: number;
        };
        /** @description The body of `/health`: every dependency's state. */
        HealthReport: {
            status: components["schemas"]["HealthStatus"];
            service: string;
            /** @description One entry per dependency, named `<service>.<dependency>`. */
            checks: {
                [key: string]: components["schemas"]["Check"];
            };
        };
        /** @enum {string} */
        HealthStatus: "ok" | "degraded";
        /** @description An invite (§8): no numeric id, no expiry; valid until revoked. */
        Invite: {
            /**
             * @description A random UUID v4, lowercase.
             * @example 0b8c2c9e-4a59-4b0e-9d7e-6c1f0f0e8a11
             */
            token: string;
            chat_id: components["schemas"]["ChatId"];
            created_by: components["schemas"]["UserId"];
            created_at: components["schemas"]["Timestamp"];
            /**
             * @description `/join/` followed by the token (relative; clients prefix their web origin).
             * @example /join/0b8c2c9e-4a59-4b0e-9d7e-6c1f0f0e8a11
             */
            link: string;
        };
        /** @description `POST /invites/{token}/join` (§8.5). */
        InviteJoined: {
            chat_id: components["schemas"]["ChatId"];
            /** @description `member` for a new member; the current role of one who already was. */
            role: components["schemas"]["Role"];
            already_member: boolean;
        };
        /** @description `GET /invites/{token}/preview` (§8.4): what an invite leads to. */
        InvitePreview: {
            chat_id: components["schemas"]["ChatId"];
            type: components["schemas"]["ChatType"];
            title: string | null;
            description: string | null;
            /** Format: int64 */
            member_count: number;
        };
        /** @description The answer to a revocation: always `{"revoked": true}`. */
        InviteRevocation: {
            revoked: boolean;
        };
        /** @description One public signing key (RFC 7517 / RFC 8037 OKP). */
        Jwk: {
            /** @description Always `OKP`. */
            kty: string;
            /** @description Always `Ed25519`. */
            crv: string;
            /** @description Always `EdDSA`. */
            alg: string;
            /** @description Always `sig`. */
            use: string;
            /** @description The key id that tokens carry in their header. */
            kid: string;
            /** @description The public key, base64url without padding. */
            x: string;
        };
        /**
         * @description The keys that verify access and refresh tokens (§2.2): the current one
         *     first, then previous ones still accepted during a rotation.
         */
        Jwks: {
            keys: components["schemas"]["Jwk"][];
        };
        /**
         * @description The client's language (default `en`).
         * @enum {string}
         */
        Language: "en" | "ru" | "de";
        /**
         * @description A coarse "last seen" for targets whose visibility is `approx_only` (§5.2).
         * @enum {string}
         */
        LastSeenApprox: "just now" | "within an hour" | "today" | "this week" | "long ago";
        /**
         * @description Who sees the user's presence (§5.2, §17.4; default `everyone`).
         * @enum {string}
         */
        LastSeenVisibility: "everyone" | "approx_only" | "nobody";
        /** @description The body of `/health/live`. */
        Liveness: {
            status: components["schemas"]["HealthStatus"];
            service: string;
        };
        /** @description `POST /auth/login`. */
        LoginRequest: {
            /** @description Matched case-insensitively among active accounts. */
            username: string;
            password: string;
        };
        /** @description A new session's tokens. */
        LoginResponse: {
            access_token: string;
            refresh_token: string;
            /** @description Always `Bearer`. */
            token_type: string;
            /**
             * Format: int64
             * @description The access token's lifetime in seconds.
             */
            expires_in: number;
            user_id: components["schemas"]["UserId"];
        };
        /** @description The caller's own account (§4.4). */
        Me: {
            id: components["schemas"]["UserId"];
            username: string;
            email: string;
            /** @description The stored display name, or the username when none is stored. */
            display_name: string;
            bio: string | null;
            created_at: components["schemas"]["Timestamp"];
            /** @description The current database value (not the token's claim). */
            is_admin: boolean;
            /** @description Presigned URL of the avatar file. */
            avatar_url: string | null;
        };
        /** @description A member's new role. */
        MemberRole: {
            role: components["schemas"]["Role"];
        };
        /**
         * @description The enriched message object (§9.2), plus `seq`. Returned by list, search,
         *     pin and pinned-message, and carried by the `message` and `message_pinned`
         *     WebSocket frames.
         */
        Message: {
            /** @description Original filename of the attached file. */
            attachment_filename: string | null;
            /** @description As stored at upload (§12.1); the client shows `image/*` inline. */
            attachment_mime_type: string | null;
            /** @description Presigned URL of the attached file (files, images, voice). */
            attachment_url: string | null;
            chat_id: components["schemas"]["ChatId"];
            /**
             * @description `""` for messages sent without text; null only for a pinned message that
             *     was deleted for everyone (§9.9).
             */
            content: string | null;
            created_at: components["schemas"]["Timestamp"];
            /**
             * Format: int32
             * @description Voice duration.
             */
            duration_seconds: number | null;
            forwarded_from_chat_id: components["schemas"]["ChatId"] | null;
            /** @description The original author's display name at forward time. */
            forwarded_from_display_name: string | null;
            forwarded_from_message_id: components["schemas"]["MessageId"] | null;
            forwarded_from_user_id: components["schemas"]["UserId"] | null;
            id: components["schemas"]["MessageId"];
            /**
             * @description Present only in WebSocket catch-up: a deleted message keeps its place in
             *     the `seq` order with its content removed.
             */
            is_deleted?: boolean;
            is_edited: boolean;
            /** @description Free-form, chosen by the sender: `text`, `sticker`, `voice`, `file`, `image`, …. */
            message_type: string;
            /**
             * @description Present only when `reply_to_message_id` is non-null; null when the
             *     replied-to message no longer exists.
             */
            reply_to_content?: string | null;
            reply_to_message_id: components["schemas"]["MessageId"] | null;
            /**
             * @description Display name of the replied-to message's sender, falling back to the
             *     username. Present only when `reply_to_message_id` is non-null.
             */
            reply_to_sender_name?: string | null;
            /** @description Present only when `reply_to_message_id` is non-null. */
            reply_to_sender_username?: string | null;
            /**
             * @description `message_type` of the replied-to message. Present only when
             *     `reply_to_message_id` is non-null.
             */
            reply_to_type?: string | null;
            sender_avatar_url: string | null;
            /** @description Display name, falling back to the username. */
            sender_display_name: string;
            sender_id: components["schemas"]["UserId"];
            /** @description The sender's global admin flag. */
            sender_is_admin: boolean;
            sender_username: string;
            /**
             * Format: int64
             * @description Position in the chat, contiguous from 1: clients catch up by it.
             */
            seq: number;
            sticker_label: string | null;
            /** @description Presigned sticker image, for sticker messages. */
            sticker_url: string | null;
            /** @description Present only if the message was edited. */
            updated_at?: components["schemas"]["Timestamp"];
        };
        /**
         * Format: int64
         * @description A message (`message.messages.id`), unique across chats.
         */
        MessageId: number;
        /** @description `POST /chats/{id}/mute` (§7.9); the body is optional (`{}` when absent or not JSON). */
        MuteChatRequest: {
            /** @default null */
            muted_until: components["schemas"]["Timestamp"] | null;
        };
        /** @description The answer to a pin (§9.9). */
        PinResult: {
            message: components["schemas"]["Message"];
            pinned_at: components["schemas"]["Timestamp"];
            pinned_by: components["schemas"]["UserId"];
            pinned_message_id: components["schemas"]["MessageId"];
        };
        /** @description The chat's pinned message (§9.9); the endpoint answers `null` when nothing is pinned. */
        PinnedMessage: {
            message: components["schemas"]["Message"] | null;
            pinned_at: components["schemas"]["Timestamp"];
            pinned_by: components["schemas"]["UserId"];
        };
        /**
         * @description The presence keys of a profile lookup, as the target's privacy allows
         *     the viewer to see them (§5.2).
         */
        PresenceKeys: {
            /** @description Whether the target has a live, active WebSocket connection; null when hidden. */
            is_online: boolean | null;
            last_activity: components["schemas"]["Timestamp"] | null;
            last_seen_approx?: components["schemas"]["LastSeenApprox"] | null;
        };
        /** @description A profile lookup (§5.3, §5.4): the public user object plus presence keys. */
        Profile: components["schemas"]["PublicUser"] & components["schemas"]["PresenceKeys"];
        /** @description `GET /chats/by-name/{public_name}` (§7.5): a chat anyone may look up. */
        PublicChat: components["schemas"]["ChatFields"] & {
            created_at: components["schemas"]["Timestamp"];
            /** Format: int64 */
            member_count: number;
        };
        /** @description The public user object (§5.1): search results and the base of profile lookups. */
        PublicUser: {
            id: components["schemas"]["UserId"];
            username: string;
            /** @description The stored display name, or the username when none is stored. */
            display_name: string;
            bio: string | null;
            /** @description The global admin flag. */
            is_admin: boolean;
            /** @description Presigned URL of the avatar file. */
            avatar_url: string | null;
        };
        /**
         * @description What a reaction toggle did.
         * @enum {string}
         */
        ReactionAction: "added" | "removed";
        /** @description One emoji on one message (§10.2), in the order of its first use. */
        ReactionGroup: {
            /** Format: int64 */
            count: number;
            emoji: string;
            /** @description The caller has this emoji on the message. */
            me: boolean;
        };
        /** @description The answer to a reaction toggle (§10.1). */
        ReactionToggled: {
            action: components["schemas"]["ReactionAction"];
            emoji: string;
            message_id: components["schemas"]["MessageId"];
        };
        /** @description A member's read position (§11.2). */
        ReadReceipt: {
            last_read_msg_id: components["schemas"]["MessageId"];
            read_at: components["schemas"]["Timestamp"];
            user_id: components["schemas"]["UserId"];
        };
        /** @description The next tokens of the session; the presented refresh token stops working. */
        RefreshResponse: {
            /** @description Its `is_admin` claim is read at refresh time. */
            access_token: string;
            /** @description Always `Bearer`. */
            token_type: string;
            /**
             * Format: int64
             * @description The access token's lifetime in seconds.
             */
            expires_in: number;
            /** @description Replaces the presented one (rotation, §2.3). */
            refresh_token: string;
        };
        /** @description `POST /auth/refresh` and `POST /auth/logout`. */
        RefreshTokenRequest: {
            refresh_token: string;
        };
        /** @description `POST /auth/register`: non-string values are coerced to their JSON text (§4.1). */
        RegisterRequest: {
            /** @description 3–32 bytes of UTF-8, any characters. */
            username: string;
            /** @description Non-empty and contains `@`. */
            email: string;
            /** @description 8–1024 bytes. */
            password: string;
            /** @description Defaults to the username. */
            display_name?: string | null;
        };
        /** @description A new account (not logged in: the client logs in next). */
        RegisterResponse: {
            id: components["schemas"]["UserId"];
            /** @description Exactly as submitted. */
            username: string;
        };
        /**
         * @description A member's role: `owner`, `admin` or `member`.
         * @enum {string}
         */
        Role: "owner" | "admin" | "member";
        /** @description `POST /chats/{id}/messages` (§9.3). Numbers may come as strings; 0 means none. */
        SendMessageRequest: {
            /**
             * @description At most 10 000 characters; may be empty when a file or sticker is sent.
             * @default null
             */
            content: string | null;
            /**
             * @description Stored as `message_type`; default `text`.
             * @default null
             */
            type: string | null;
            /**
             * Format: int64
             * @description An attachment the sender may download (§12.2).
             * @default 0
             */
            file_id: number;
            /**
             * Format: int64
             * @description When > 0, `file_id` and `duration_seconds` are ignored.
             * @default 0
             */
            sticker_id: number;
            /**
             * Format: int64
             * @description Stored only with a file attached.
             * @default 0
             */
            duration_seconds: number;
            /**
             * Format: int64
             * @description A message of the same chat.
             * @default 0
             */
            reply_to_message_id: number;
            /**
             * @description Retry key (at most 64 bytes): a send repeating one answers `200` with the
             *     message it created, instead of creating another.
             * @default null
             */
            client_msg_id: string | null;
        };
        /**
         * @description The answer to a send (§9.3): `201` for a new message, `200` with the
         *     original when `client_msg_id` names one already sent.
         */
        SentMessage: {
            chat_id: components["schemas"]["ChatId"];
            /** @description Echoed when the request carried one. */
            client_msg_id?: string;
            /** @description As sent, `""` if absent. */
            content: string;
            created_at: components["schemas"]["Timestamp"];
            /**
             * Format: int64
             * @description Present only when a value > 0 was sent.
             */
            duration_seconds?: number;
            id: components["schemas"]["MessageId"];
            message_type: string;
            /**
             * Format: int64
             * @description Present only when a value > 0 was sent.
             */
            reply_to_message_id?: number;
            sender_id: components["schemas"]["UserId"];
            /** Format: int64 */
            seq: number;
            /**
             * Format: int64
             * @description Present only for sticker messages.
             */
            sticker_id?: number;
            /** @description The same value as `message_type`. */
            type: string;
        };
        /** @description `POST /chats/{id}/avatar` (§7.8). */
        SetChatAvatarRequest: {
            /**
             * Format: int64
             * @description A file the caller uploaded; an integer or a string holding one.
             */
            file_id: number;
        };
        /** @description `PUT /users/me/avatar`. */
        SetUserAvatarRequest: {
            /**
             * Format: int64
             * @description A file the caller uploaded; must be a JSON integer.
             */
            file_id: number;
        };
        /** @description A sticker (`GET /stickers`, ordered by id). */
        Sticker: {
            /** Format: int64 */
            id: number;
            /** @example thumbs up */
            label: string;
            /**
             * @description A presigned URL of the image (§13.3), fresh on every response; null
             *     only when the sticker has no object.
             */
            url: string | null;
        };
        SupportChat: {
            /** Format: int64 */
            id: number;
            type: string;
            name: string | null;
            title: string | null;
            /** Format: int64 */
            member_count: number;
        };
        SupportChats: {
            chats: components["schemas"]["SupportChat"][];
        };
        SupportMessage: {
            /** Format: int64 */
            id: number;
            /** Format: int64 */
            chat_id: number;
            content: string | null;
            created_at: components["schemas"]["Timestamp"];
            chat_name: string | null;
            chat_type: string;
        };
        SupportMessages: {
            messages: components["schemas"]["SupportMessage"][];
        };
        /**
         * @description `POST /admin-api/support/send` (§14.6). Ids that are null, zero or not
         *     integers count as absent.
         */
        SupportSendRequest: {
            content?: string;
            /** Format: int64 */
            target_user_id?: number | null;
            /** Format: int64 */
            chat_id?: number | null;
        };
        SupportSent: {
            /** Format: int64 */
            id: number;
            /** Format: int64 */
            chat_id: number;
            created_at: components["schemas"]["Timestamp"];
        };
        SupportUser: {
            /** Format: int64 */
            id: number;
            username: string;
            /** @description Falls back to the username. */
            display_name: string;
        };
        SupportUsers: {
            users: components["schemas"]["SupportUser"][];
        };
        /**
         * @description The client's colour scheme (default `light`).
         * @enum {string}
         */
        Theme: "light" | "dark";
        /**
         * @description UTC, `YYYY-MM-DD HH:MM:SS[.F]+00` (CONTRACT §1.5)
         * @example 2026-03-01 14:07:09.52113+00
         */
        Timestamp: string;
        /** @description `POST /chats/{id}/messages/{messageId}/reactions` (§10.1). */
        ToggleReactionRequest: {
            /**
             * @description A JSON string, non-empty, at most 32 bytes.
             * @default null
             */
            emoji: string | null;
        };
        /**
         * @description `PATCH /chats/{id}` (§7.6): any of the three; values of other types are read
         *     as their JSON text (null as `""`). Other keys, `name` included, are ignored.
         */
        UpdateChatRequest: {
            /** @default null */
            title: string | null;
            /** @default null */
            description: string | null;
            /**
             * @description `""` removes the public name.
             * @default null
             */
            public_name: string | null;
        };
        /** @description `PUT /users/{id}`: non-string values are coerced to their JSON text. */
        UpdateProfileRequest: {
            /** @description Stored as given; absent is stored as an empty string. */
            display_name?: string;
            /** @description Stored as given; absent is stored as an empty string. */
            bio?: string;
            /** @description Absent or null keeps the username; otherwise `^[a-zA-Z0-9_]{3,20}$`. */
            username?: string | null;
        };
        /**
         * @description `PUT /settings`: any subset of the keys; absent keys keep their value, a
         *     present but unknown value becomes the key's default.
         */
        UpdateSettingsRequest: {
            theme?: components["schemas"]["Theme"] | null;
            notifications_enabled?: boolean | null;
            language?: components["schemas"]["Language"] | null;
            last_seen_visibility?: components["schemas"]["LastSeenVisibility"] | null;
            read_receipts_enabled?: boolean | null;
        };
        /** @description The profile after an edit. */
        UpdatedProfile: {
            id: components["schemas"]["UserId"];
            username: string;
            /** @description Null only if the stored value is null. */
            display_name: string | null;
            /** @description Null only if the stored value is null. */
            bio: string | null;
        };
        /**
         * @description An uploaded file (`201` of `POST /files`); its `id` is what avatars,
         *     attachments and voice messages refer to.
         */
        UploadedFile: {
            id: components["schemas"]["FileId"];
            /**
             * @description The part's filename as sent, made safe for display.
             * @example photo.jpg
             */
            filename: string;
            /**
             * @description The media type the part declared, without parameters, lower-cased;
             *     `application/octet-stream` when it declared none (D4). No allow-list.
             * @example image/jpeg
             */
            mime_type: string;
            /**
             * @description `uploads/<uuid-v4>_<filename>` in the uploads bucket.
             * @example uploads/1f0c2a4e-8d7b-4c1e-9a3f-0b6d5e4c3b2a_photo.jpg
             */
            object_key: string;
        };
        /** @description The new avatar. */
        UserAvatarResponse: {
            /** @description The avatar's presigned URL; absent if the file cannot be read back. */
            avatar_url?: string | null;
        };
        /**
         * Format: int64
         * @description A user account (`auth.users.id`).
         */
        UserId: number;
        /** @description The settings object (§6): all keys always present. */
        UserSettings: {
            theme: components["schemas"]["Theme"];
            notifications_enabled: boolean;
            language: components["schemas"]["Language"];
            /** @description Drives the presence keys of profile lookups (§5.2) and presence events (§17.4). */
            last_seen_visibility: components["schemas"]["LastSeenVisibility"];
            /** @description Drives read receipts (§11). */
            read_receipts_enabled: boolean;
        };
        /**
         * @description A connection's presence state as a client states it.
         * @enum {string}
         */
        WsActivity: "active" | "away";
        /**
         * @description Authenticates the connection; answered by `auth_ok` (always the first
         *     frame the server sends) or by `error` `Invalid or expired access token`
         *     and a close.
         */
        WsAuth: {
            /** @description An access token (`/auth/login`); a refresh token is refused. */
            token: string;
            /** @description The connection's initial presence: `true` (default) active, `false` away. */
            active?: boolean;
        };
        /** @description Reply to a valid `auth`. */
        WsAuthOk: {
            user_id: components["schemas"]["UserId"];
        };
        /** @description The replay of a chat was cut short; messages after `last_seq` are missing. */
        WsCatchUpTruncated: {
            chat_id: components["schemas"]["ChatId"];
            /**
             * Format: int64
             * @description The last seq the replay covered.
             */
            last_seq: number;
        };
        /**
         * @description User scope: a chat the user is now in (§7.2); after an invite join (§8.5)
         *     `chat_type` is always `group`, `created_by` is the joiner, and there is no
         *     `title`.
         */
        WsChatCreated: {
            chat_id: components["schemas"]["ChatId"];
            chat_type: components["schemas"]["ChatType"];
            title?: string;
            created_by: components["schemas"]["UserId"];
        };
        /** @description User scope (every former member): the chat was deleted (§7.7). */
        WsChatDeleted: {
            chat_id: components["schemas"]["ChatId"];
            deleted_by: components["schemas"]["UserId"];
        };
        /** @description Chat scope: someone joined by invite (§8.5). */
        WsChatMemberJoined: {
            chat_id: components["schemas"]["ChatId"];
            user_id: components["schemas"]["UserId"];
            username: string;
            display_name: string;
        };
        /** @description Chat scope and the leaver's user scope: someone left (§7.10). */
        WsChatMemberLeft: {
            chat_id: components["schemas"]["ChatId"];
            user_id: components["schemas"]["UserId"];
        };
        /**
         * @description Chat scope: the chat's settings (§7.6: `title`/`description` as changed)
         *     or its avatar (§7.8: `avatar_url` only, null when removed).
         */
        WsChatUpdated: {
            chat_id: components["schemas"]["ChatId"];
            title?: string;
            description?: string;
            /** @description A presigned URL (§13.3), or null when the avatar was removed. */
            avatar_url?: string | null;
        };
        /**
         * @description Every frame a client sends over `/ws`, tagged on `type`. Before `auth`
         *     succeeded only `auth` is accepted (`Not authenticated`); any other `type`
         *     gets `Unknown message type: <type>`.
         */
        WsClientMessage: (components["schemas"]["WsAuth"] & {
            /** @enum {string} */
            type: "auth";
        }) | (components["schemas"]["WsPing"] & {
            /** @enum {string} */
            type: "ping";
        }) | (components["schemas"]["WsSubscribe"] & {
            /** @enum {string} */
            type: "subscribe";
        }) | (components["schemas"]["WsTypingNotice"] & {
            /** @enum {string} */
            type: "typing";
        }) | (components["schemas"]["WsPresenceUpdate"] & {
            /** @enum {string} */
            type: "presence_update";
        });
        /** @description A refused frame; the connection stays open except after a failed `auth`. */
        WsError: {
            /**
             * @description `Invalid JSON`, `Not authenticated`, `Unknown message type: <type>`,
             *     `Invalid chat_id`, `Not a member of this chat`, `Invalid presence status`,
             *     `Invalid or expired access token`, `Too many messages`, `Internal error`.
             * @example Not a member of this chat
             */
            message: string;
        };
        /**
         * @description `online` for an online transition, `recently` for an offline one.
         * @enum {string}
         */
        WsLastSeenBucket: "online" | "recently";
        WsMessage: components["schemas"]["Message"];
        /** @description Chat scope: a message was deleted for everyone (§9.7). */
        WsMessageDeleted: {
            chat_id: components["schemas"]["ChatId"];
            message_id: components["schemas"]["MessageId"];
            deleted_by: components["schemas"]["UserId"];
            /** @description Always `true` (deletions for oneself are not broadcast). */
            for_everyone: boolean;
        };
        /** @description Chat scope: a message was pinned (§9.9). */
        WsMessagePinned: {
            chat_id: components["schemas"]["ChatId"];
            message_id: components["schemas"]["MessageId"];
            pinned_by: components["schemas"]["UserId"];
            message: components["schemas"]["Message"];
        };
        /** @description Chat scope: the chat's pin was removed (§9.9). */
        WsMessageUnpinned: {
            chat_id: components["schemas"]["ChatId"];
            message_id: components["schemas"]["MessageId"];
        };
        /** @description Chat scope: a message was edited (§9.6). */
        WsMessageUpdated: {
            chat_id: components["schemas"]["ChatId"];
            message_id: components["schemas"]["MessageId"];
            content: string;
            updated_at: components["schemas"]["Timestamp"];
        };
        /** @enum {string} */
        WsOnlineStatus: "online" | "offline";
        /** @description Keeps the connection alive (every 25 s); answered by `pong`. */
        WsPing: {
            /**
             * @description `true`: the user was active lately (refreshes `last_activity`, at most
             *     every 90 s, and turns an away connection active).
             */
            active?: boolean;
        };
        /**
         * @description A presence transition (§17.4): the full payload, or the approximate one
         *     (no `status`) for subjects whose visibility is `approx_only`.
         */
        WsPresence: components["schemas"]["WsPresenceFull"] | components["schemas"]["WsPresenceApprox"];
        WsPresenceApprox: {
            user_id: components["schemas"]["UserId"];
            username: string;
            privacy: components["schemas"]["WsPrivacy"];
            last_seen_bucket: components["schemas"]["WsLastSeenBucket"];
        };
        WsPresenceFull: {
            user_id: components["schemas"]["UserId"];
            username: string;
            status: components["schemas"]["WsOnlineStatus"];
        };
        /**
         * @description Changes this connection's presence state; no reply (`error`
         *     `Invalid presence status` for any other status).
         */
        WsPresenceUpdate: {
            status: components["schemas"]["WsActivity"];
        };
        /**
         * @description The only privacy marker on the socket.
         * @enum {string}
         */
        WsPrivacy: "approx_only";
        /** @description Chat scope: a reaction was toggled (§10.1). */
        WsReaction: {
            chat_id: components["schemas"]["ChatId"];
            message_id: components["schemas"]["MessageId"];
            user_id: components["schemas"]["UserId"];
            emoji: string;
            action: components["schemas"]["WsReactionAction"];
        };
        /** @enum {string} */
        WsReactionAction: "added" | "removed";
        /** @description Chat scope: a member read up to a message (§11.1). */
        WsReadReceipt: {
            chat_id: components["schemas"]["ChatId"];
            user_id: components["schemas"]["UserId"];
            last_read_msg_id: components["schemas"]["MessageId"];
        };
        /**
         * @description Every frame the server sends over `/ws`, tagged on `type`: the replies
         *     `auth_ok`, `subscribed`, `pong`, `error`, then the events (scope per §1.8).
         */
        WsServerMessage: (components["schemas"]["WsAuthOk"] & {
            /** @enum {string} */
            type: "auth_ok";
        }) | (components["schemas"]["WsSubscribed"] & {
            /** @enum {string} */
            type: "subscribed";
        }) | (components["schemas"]["WsCatchUpTruncated"] & {
            /** @enum {string} */
            type: "catch_up_truncated";
        }) | {
            /** @enum {string} */
            type: "pong";
        } | (components["schemas"]["WsError"] & {
            /** @enum {string} */
            type: "error";
        }) | (components["schemas"]["WsMessage"] & {
            /** @enum {string} */
            type: "message";
        }) | (components["schemas"]["WsTyping"] & {
            /** @enum {string} */
            type: "typing";
        }) | (components["schemas"]["WsPresence"] & {
            /** @enum {string} */
            type: "presence";
        }) | (components["schemas"]["WsReaction"] & {
            /** @enum {string} */
            type: "reaction";
        }) | (components["schemas"]["WsMessageDeleted"] & {
            /** @enum {string} */
            type: "message_deleted";
        }) | (components["schemas"]["WsMessageUpdated"] & {
            /** @enum {string} */
            type: "message_updated";
        }) | (components["schemas"]["WsMessagePinned"] & {
            /** @enum {string} */
            type: "message_pinned";
        }) | (components["schemas"]["WsMessageUnpinned"] & {
            /** @enum {string} */
            type: "message_unpinned";
        }) | (components["schemas"]["WsReadReceipt"] & {
            /** @enum {string} */
            type: "read_receipt";
        }) | (components["schemas"]["WsChatCreated"] & {
            /** @enum {string} */
            type: "chat_created";
        }) | (components["schemas"]["WsChatUpdated"] & {
            /** @enum {string} */
            type: "chat_updated";
        }) | (components["schemas"]["WsChatDeleted"] & {
            /** @enum {string} */
            type: "chat_deleted";
        }) | (components["schemas"]["WsChatMemberJoined"] & {
            /** @enum {string} */
            type: "chat_member_joined";
        }) | (components["schemas"]["WsChatMemberLeft"] & {
            /** @enum {string} */
            type: "chat_member_left";
        }) | (components["schemas"]["WsUserProfileUpdated"] & {
            /** @enum {string} */
            type: "user_profile_updated";
        });
        /**
         * @description Starts the chat's chat-scope events on this connection; answered by
         *     `subscribed`, or `error` `Invalid chat_id` / `Not a member of this chat` /
         *     `Internal error`.
         */
        WsSubscribe: {
            /**
             * Format: int64
             * @description A positive integer.
             */
            chat_id: number;
            /**
             * Format: int64
             * @description Replays the chat's messages after this `seq` first (DESIGN §3; additive).
             */
            after_seq?: number;
        };
        /** @description Reply to `subscribe`. */
        WsSubscribed: {
            chat_id: components["schemas"]["ChatId"];
        };
        /** @description Chat scope: someone is typing (their own subscribed connections get it too). */
        WsTyping: {
            chat_id: components["schemas"]["ChatId"];
            user_id: components["schemas"]["UserId"];
            /** @description The sender's current username; absent only while not yet known. */
            username?: string;
        };
        /**
         * @description The user is typing in a chat; no reply (`error` `Invalid chat_id` for a
         *     bad id; silently dropped from a non-member).
         */
        WsTypingNotice: {
            /**
             * Format: int64
             * @description A positive integer.
             */
            chat_id: number;
        };
        /**
         * @description Chat scope (each chat of the user): a new display name (§5.6) or avatar
         *     (§5.8: `avatar_url` only, null when removed).
         */
        WsUserProfileUpdated: {
            user_id: components["schemas"]["UserId"];
            display_name?: string;
            /** @description A presigned URL (§13.3), or null when the avatar was removed. */
            avatar_url?: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health_handler: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every dependency answers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthReport"];
                };
            };
            /** @description A dependency is down */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthReport"];
                };
            };
        };
    };
    live_handler: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process runs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Liveness"];
                };
            };
        };
    };
    metrics_handler: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            /** @description The account was created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisterResponse"];
                };
            };
            /** @description `Invalid JSON`, `Username must be 3–32 characters`, `Invalid email`, `Password must be at least 8 characters` or `Password too long` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Username or email already taken` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Logged in */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResponse"];
                };
            };
            /** @description `Invalid JSON`, `username and password required` or `Password too long` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Invalid credentials` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Account blocked. Contact support.` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Too many requests` (with `Retry-After`) */
            429: {
                headers: {
                    /** @description Seconds until a retry may succeed */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshTokenRequest"];
            };
        };
        responses: {
            /** @description The session's next tokens */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RefreshResponse"];
                };
            };
            /** @description `Invalid JSON` or `refresh_token required` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Invalid or expired refresh token` (a reused token also revokes its session) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshTokenRequest"];
            };
        };
        responses: {
            /** @description The session is revoked (also for unknown, expired or revoked tokens) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Invalid JSON` or `refresh_token required` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    jwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The JWKS */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Jwks"];
                };
            };
        };
    };
    get_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `User not found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    search_users: {
        parameters: {
            query?: {
                /**
                 * @description A case-insensitive substring of the username or display name; `%` and
                 *     `_` act as wildcards. Empty or absent matches every active user.
                 */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description At most 50 users ordered by username */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicUser"][];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_user_by_username: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Matched case-insensitively */
                username: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The profile (any `Authorization` header is ignored) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            /** @description `User not found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_my_avatar: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetUserAvatarRequest"];
            };
        };
        responses: {
            /** @description The avatar is set */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserAvatarResponse"];
                };
            };
            /** @description `file_id required` (also when the body is not JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `File not found` (unknown, or someone else's file) or `User not found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user's id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The profile (§5.2 decides the presence keys) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `User not found` (also for soft-deleted users) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The caller's own id */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateProfileRequest"];
            };
        };
        responses: {
            /** @description The updated profile */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UpdatedProfile"];
                };
            };
            /** @description `Invalid JSON` or `Username must be 3-20 characters: letters, digits, underscores only` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Forbidden` (not the caller's id) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `User not found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Username already taken` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_avatar: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user's id */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the avatar's presigned URL */
            302: {
                headers: {
                    /** @description The presigned URL */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `No avatar` (also for an unknown user) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The settings (defaults are created on first read) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserSettings"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateSettingsRequest"];
            };
        };
        responses: {
            /** @description Saved */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Invalid JSON` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_chats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Pinned first, then favorites, then by `updated_at` descending */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatListItem"][];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_chat: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateChatRequest"];
            };
        };
        responses: {
            /** @description The direct chat (or self-chat) that already exists */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedChat"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedChat"];
                };
            };
            /** @description `Invalid JSON`, `type must be 'direct', 'group', or 'channel'`, `title is required for channel type`, `direct chat requires exactly one other member_id`, `self-chat must not include other members`, `<field> must not contain NUL characters` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `User not found` (the other member of a direct chat) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `public_name already taken` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_chat_by_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat's public name, percent-encoded */
                public_name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The chat */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicChat"];
                };
            };
            /** @description `Chat not found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_chat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The chat */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatDetail"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Chat not found or access denied` (also for non-members) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_chat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Only the chat owner can delete it` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Chat not found or access denied` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    update_chat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateChatRequest"];
            };
        };
        responses: {
            /** @description The stored chat after the update */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatFields"];
                };
            };
            /** @description `Invalid JSON`, `No fields to update`, `<field> must not contain NUL characters` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Only owner or admin can update chat` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Chat not found or access denied` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `public_name already taken` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    set_chat_avatar: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetChatAvatarRequest"];
            };
        };
        responses: {
            /** @description The new avatar's URL */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatAvatar"];
                };
            };
            /** @description `file_id is required` (also for a body that is not JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Only owner can set chat avatar` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Chat not found or access denied`, `File not found` (unknown, or someone else's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    favorite_chat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Marked (idempotent) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    unfavorite_chat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cleared (idempotent, no membership needed) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    mute_chat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["MuteChatRequest"] | null;
            };
        };
        responses: {
            /** @description Muted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Invalid muted_until` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    unmute_chat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cleared (idempotent, no membership needed) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    pin_chat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Pinned (idempotent) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    unpin_chat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cleared (idempotent, no membership needed) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    archive_chat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Archived (idempotent) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    unarchive_chat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cleared (idempotent, no membership needed) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    leave_chat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Left */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Transfer ownership before leaving, or delete the chat` (an owner with other members) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member of this chat` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    promote_member: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
                /** @description The member to promote */
                userId: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Promoted: `{"role":"admin"}` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberRole"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Only owner can promote members` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Chat not found or access denied`, `User not found or already admin/owner` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    demote_member: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
                /** @description The admin to demote */
                userId: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Demoted: `{"role":"member"}` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberRole"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Only owner can demote members` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Chat not found or access denied`, `User not found or not an admin` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_invites: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Active (not revoked) invites */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invite"][];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Only owner or admin can list invites` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Chat not found or access denied` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_invite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new invite */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invite"];
                };
            };
            /** @description `Cannot create invites for direct chats` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Only owner or admin can create invites` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Chat not found or access denied` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    revoke_invite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The invite token */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InviteRevocation"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Only owner or admin can revoke invites` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Invite not found or already revoked` (also when the caller is not a member of its chat) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    preview_invite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The invite token */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The chat behind the invite */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitePreview"];
                };
            };
            /** @description `Invite not found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Invite has been revoked` */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    join_invite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The invite token */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Joined, or already a member (with the current role) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InviteJoined"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Invite not found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Invite has been revoked` */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_messages: {
        parameters: {
            query?: {
                /** @description Default 50, clamped to [1, 100]. */
                limit?: number;
                /** @description Forward cursor (exclusive) by `seq`; wins over the other cursors. */
                after_seq?: number;
                /** @description Forward cursor (exclusive) by id; wins over `before`. */
                after_id?: number;
                /**
                 * @description Backward cursor (exclusive): a message id (only digits) or a timestamp
                 *     (§1.5 or RFC 3339).
                 */
                before?: string;
            };
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page, oldest → newest (possibly empty) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"][];
                };
            };
            /** @description `Invalid limit`, `Invalid after_id`, `Invalid after_seq`, `Invalid before` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member of this chat` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    send_message: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendMessageRequest"];
            };
        };
        responses: {
            /** @description A retry: the message this `client_msg_id` already created */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SentMessage"];
                };
            };
            /** @description Sent */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SentMessage"];
                };
            };
            /** @description `Invalid JSON`, `content, file_id or sticker_id required`, `Message too long`, `Invalid reply_to_message_id`, `client_msg_id too long (max 64)`, `Invalid content` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member of this chat`, `Only admins can post in channels` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Sticker not found`, `File not found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    search_messages: {
        parameters: {
            query?: {
                /**
                 * @description Case-insensitive substring of text messages (`%` and `_` are
                 *     wildcards); required, at most 200 bytes.
                 */
                q?: string;
                /** @description Default 20, clamped to [1, 50]. */
                limit?: number;
                /** @description Only messages with a smaller id (paging). */
                before_id?: number;
            };
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Matches, newest first (possibly empty) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"][];
                };
            };
            /** @description `q parameter required`, `q too long (max 200)`, `Invalid limit`, `Invalid before_id` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member of this chat` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    forward_messages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The target chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ForwardMessagesRequest"];
            };
        };
        responses: {
            /** @description The copies, ascending by original id */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ForwardedMessage"][];
                };
            };
            /** @description `Invalid JSON`, `from_chat_id required`, `message_ids array required`, `Maximum 100 messages per forward` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member of source chat`, `Not a member of target chat`, `Only admins can post in channels` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `No valid messages found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    edit_message: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
                /** @description The message */
                messageId: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EditMessageRequest"];
            };
        };
        responses: {
            /** @description Edited */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EditedMessage"];
                };
            };
            /** @description `Invalid JSON`, `content required`, `Message too long`, `Invalid content` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member of this chat`, `Message not found or not editable` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_message: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
                /** @description The message */
                messageId: number;
            };
            cookie?: never;
        };
        /** @description Optional: absent means for the caller only */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["DeleteMessageRequest"] | null;
            };
        };
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member of this chat`, `Only sender or admin can delete for everyone`, `Cannot delete for everyone after 48 hours` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Message not found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    pin_message: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
                /** @description The message */
                messageId: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Pinned */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PinResult"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member of this chat`, `Only admins can pin in channels` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Message not found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    unpin_message: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
                /** @description The pinned message */
                messageId: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unpinned */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member of this chat`, `Only admins can unpin in channels` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `No pinned message found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_pinned: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The pin, or the literal `null` when nothing is pinned */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PinnedMessage"] | null;
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member of this chat` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    toggle_reaction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
                /** @description The message */
                messageId: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ToggleReactionRequest"];
            };
        };
        responses: {
            /** @description Toggled */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReactionToggled"];
                };
            };
            /** @description `Invalid JSON`, `emoji required (max 32 chars)` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member of this chat` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Message not found in this chat` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_reactions: {
        parameters: {
            query?: {
                /**
                 * @description Comma-separated message ids (1–200); tokens that are not positive
                 *     integers are skipped.
                 * @example 1,2,3
                 */
                message_ids?: string;
            };
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Keyed by message id (decimal string); messages without reactions are absent */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: components["schemas"]["ReactionGroup"][];
                    };
                };
            };
            /** @description `message_ids required`, `message_ids: 1-200 valid IDs required` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member of this chat` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    mark_read: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's read position is the chat's newest message */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member of this chat` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_read_receipts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The chat */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Other current members who share receipts; `[]` if the caller does not */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReadReceipt"][];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not a member of this chat` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    upload_file: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["FileUploadForm"];
            };
        };
        responses: {
            /** @description Stored */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UploadedFile"];
                };
            };
            /** @description `No file uploaded (use multipart/form-data field 'file')` (not multipart, or no part with a filename), `File is empty`, or `Invalid multipart body` (the body broke off) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `File too large (max 50 MB)` (the number is `MAX_FILE_SIZE_MB`); a body more than 1 KiB over it may get a bare 413 */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Object storage upload failed` */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    download_file: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The file id; a segment that is not an integer is an unknown file */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To a presigned URL of the object (§13.3), valid for `MINIO_PRESIGN_TTL` seconds */
            302: {
                headers: {
                    /** @description The presigned URL */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `File not found` (unknown, or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_stickers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every sticker, ordered by id */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Sticker"][];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    sticker_image: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The sticker id; a segment that is not an integer is an unknown sticker */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the presigned URL of the image (§13.3) */
            302: {
                headers: {
                    /** @description The presigned URL */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Sticker not found`, or `Sticker image unavailable` (it has no object) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    upgrade: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switching Protocols: the WebSocket is open; frames are `WsClientMessage` (client → server) and `WsServerMessage` (server → client) */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Origin not allowed` (a browser from an origin not in `allowed_origins`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Expected a WebSocket upgrade` (a plain GET) */
            426: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Too many connections` from this address; `Retry-After` says when to retry */
            429: {
                headers: {
                    /** @description Seconds */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_stats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Counters kept by the owners (no scans) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminStats"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Admin access required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_users: {
        parameters: {
            query?: {
                /** @description Default 1, min 1. */
                page?: number;
                /** @description Default 20, clamped to [1, 100]. */
                per_page?: number;
                /** @description Case-insensitive substring of username or display name. */
                q?: string;
                /** @description `active`, `blocked`, `admin`, `inactive`; anything else: no filter. */
                status?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminUserPage"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Admin access required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    admin_get_user: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminUserDetail"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Admin access required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `User not found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    user_action: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user (unknown ids answer 204 too) */
                id: number;
                /** @description `block`, `unblock`, `soft-delete` or `toggle-admin` */
                action: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; block and soft-delete end the user's sessions and sockets within 1 s */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Cannot block yourself`, `Cannot delete yourself`, `Cannot change your own admin status` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Admin access required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Not found` (another action) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    admin_list_messages: {
        parameters: {
            query?: {
                /** @description Default 1, min 1. */
                page?: number;
                /** @description Default 50, clamped to [1, 100]. */
                per_page?: number;
                /** @description Sender filter, applied when it is an integer > 0. */
                user_id?: number;
                /** @description Chat filter, applied when it is an integer > 0. */
                chat_id?: number;
                /** @description Case-insensitive substring of the content. */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminMessagePage"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Admin access required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    admin_delete_message: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The message */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted; the chat's members see it go as for a delete by its sender */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Admin access required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Message not found` (unknown or already deleted) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    support_users: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The possible recipients */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupportUsers"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Admin access required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    support_chats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The chats */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupportChats"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Admin access required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `chorus_support user not found` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    support_messages: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The messages */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupportMessages"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Admin access required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `chorus_support user not found` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    support_send: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SupportSendRequest"];
            };
        };
        responses: {
            /** @description Sent */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupportSent"];
                };
            };
            /** @description `Invalid JSON`, `content required`, `Message too long`, `target_user_id or chat_id required` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Admin access required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Chat not found`, `User not found` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `chorus_support user not found` */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_audit: {
        parameters: {
            query?: {
                /** @description Default 1, min 1. */
                page?: number;
                /** @description Default 50, clamped to [1, 100]. */
                per_page?: number;
                /** @description Only this admin's actions. */
                admin_id?: number;
                /** @description Only actions on this user, chat or message id. */
                target_id?: number;
                /**
                 * @description `block`, `unblock`, `soft-delete`, `toggle-admin`, `support-send` or
                 *     `message-delete`; anything else: no filter.
                 */
                action?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description `Missing Authorization header`, `Authorization header must start with 'Bearer '`, `Invalid or expired token` or `Expected access token` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `Admin access required` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
