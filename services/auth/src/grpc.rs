//! gRPC adapters: Keys (JWKS), Users (batched profile reads), Accounts (moderation).

use crate::db;
use crate::db::accounts::{self, AccountRow};
use crate::db::users::UserWithPrivacy;
use crate::domain::moderation;
use crate::error::Error;
use crate::state::AppState;
use chorus_proto::UserId;
use chorus_proto::auth::v1 as pb;
use tonic::{Request, Response, Status};

/// Upper bound on ids per `Users.GetMany`, so one call cannot ask for the table.
const MAX_IDS: usize = 1000;

pub struct Grpc(pub AppState);

fn to_pb(u: UserWithPrivacy) -> pb::User {
    pb::User {
        id: u.user.id.0,
        username: u.user.username,
        display_name: u.user.display_name,
        bio: u.user.bio,
        is_admin: u.user.is_admin,
        is_active: u.user.is_active,
        is_blocked: u.user.is_blocked,
        avatar_file_id: u.user.avatar_file_id.map(i64::from),
        last_activity_micros: u.user.last_activity.map(|t| t.timestamp_micros()),
        last_seen_visibility: u.last_seen_visibility,
        read_receipts_enabled: u.read_receipts_enabled,
    }
}

#[tonic::async_trait]
impl pb::keys_server::Keys for Grpc {
    async fn get_jwks(&self, _: Request<pb::GetJwksRequest>) -> Result<Response<pb::Jwks>, Status> {
        let keys = self
            .0
            .keys
            .jwks()
            .keys
            .into_iter()
            .map(|k| pb::Jwk {
                kid: k.kid,
                kty: k.kty.into(),
                crv: k.crv.into(),
                alg: k.alg.into(),
                x: k.x,
            })
            .collect();
        Ok(Response::new(pb::Jwks { keys }))
    }
}

#[tonic::async_trait]
impl pb::users_server::Users for Grpc {
    async fn get_many(
        &self,
        req: Request<pb::GetManyUsersRequest>,
    ) -> Result<Response<pb::GetManyUsersResponse>, Status> {
        let mut ids = req.into_inner().ids;
        ids.sort_unstable();
        ids.dedup();
        if ids.len() > MAX_IDS {
            return Err(Error::TooManyIds { max: MAX_IDS }.into());
        }
        let rows = db::users::many_with_privacy(&self.0.db, &ids)
            .await
            .map_err(Error::from)?;
        Ok(Response::new(pb::GetManyUsersResponse {
            users: rows.into_iter().map(to_pb).collect(),
        }))
    }

    async fn get_by_username(
        &self,
        req: Request<pb::GetByUsernameRequest>,
    ) -> Result<Response<pb::User>, Status> {
        let name = req.into_inner().username;
        let row = db::users::active_with_privacy_by_username(&self.0.db, &name)
            .await
            .map_err(Error::from)?;
        row.map(|u| Response::new(to_pb(u)))
            .ok_or_else(|| Error::UserNotFound.into())
    }
}

#[tonic::async_trait]
impl pb::accounts_server::Accounts for Grpc {
    async fn set_blocked(
        &self,
        req: Request<pb::SetBlockedRequest>,
    ) -> Result<Response<pb::AccountChanged>, Status> {
        let r = req.into_inner();
        let (db, revocations) = (&self.0.db, &self.0.revocations);
        moderation::set_blocked(db, revocations, UserId(r.user_id), r.blocked).await?;
        Ok(Response::new(pb::AccountChanged { user_id: r.user_id }))
    }

    async fn soft_delete(
        &self,
        req: Request<pb::SoftDeleteRequest>,
    ) -> Result<Response<pb::AccountChanged>, Status> {
        let user_id = req.into_inner().user_id;
        moderation::soft_delete(&self.0.db, &self.0.revocations, UserId(user_id)).await?;
        Ok(Response::new(pb::AccountChanged { user_id }))
    }

    async fn toggle_admin(
        &self,
        req: Request<pb::ToggleAdminRequest>,
    ) -> Result<Response<pb::AccountChanged>, Status> {
        let user_id = req.into_inner().user_id;
        moderation::toggle_admin(&self.0.db, UserId(user_id)).await?;
        Ok(Response::new(pb::AccountChanged { user_id }))
    }

    async fn touch_activity(
        &self,
        req: Request<pb::TouchActivityRequest>,
    ) -> Result<Response<pb::AccountChanged>, Status> {
        let user_id = req.into_inner().user_id;
        db::users::touch_activity(&self.0.db, UserId(user_id))
            .await
            .map_err(Error::from)?;
        Ok(Response::new(pb::AccountChanged { user_id }))
    }

    async fn list_accounts(
        &self,
        req: Request<pb::ListAccountsRequest>,
    ) -> Result<Response<pb::ListAccountsReply>, Status> {
        let r = req.into_inner();
        let limit = i64::from(r.limit.clamp(1, MAX_ACCOUNTS));
        let (rows, total) = accounts::page(&self.0.db, &r.query, &r.status, r.offset.max(0), limit)
            .await
            .map_err(Error::from)?;
        Ok(Response::new(pb::ListAccountsReply {
            accounts: rows.into_iter().map(account_pb).collect(),
            total,
        }))
    }

    async fn get_accounts(
        &self,
        req: Request<pb::GetAccountsRequest>,
    ) -> Result<Response<pb::GetAccountsReply>, Status> {
        let ids = req.into_inner().ids;
        if ids.len() > MAX_ACCOUNTS as usize {
            return Err(Status::invalid_argument(format!(
                "at most {MAX_ACCOUNTS} accounts per call"
            )));
        }
        let rows = accounts::many(&self.0.db, &ids)
            .await
            .map_err(Error::from)?;
        Ok(Response::new(pb::GetAccountsReply {
            accounts: rows.into_iter().map(account_pb).collect(),
        }))
    }

    async fn list_active_accounts(
        &self,
        _req: Request<pb::ListActiveAccountsRequest>,
    ) -> Result<Response<pb::ListActiveAccountsReply>, Status> {
        let rows = accounts::active(&self.0.db).await.map_err(Error::from)?;
        let accounts = rows
            .into_iter()
            .map(|b| pb::AccountBrief {
                id: b.id.0,
                username: b.username,
                display_name: b.display_name,
            })
            .collect();
        Ok(Response::new(pb::ListActiveAccountsReply { accounts }))
    }

    async fn account_stats(
        &self,
        _req: Request<pb::AccountStatsRequest>,
    ) -> Result<Response<pb::AccountStatsReply>, Status> {
        let db = &self.0.db;
        let (counts, windows, trend) = tokio::try_join!(
            accounts::counts(db),
            self.0.activity_windows.get(db),
            accounts::registrations_trend(db)
        )
        .map_err(Error::from)?;
        Ok(Response::new(pb::AccountStatsReply {
            total_users: counts.total_users,
            dau: windows.dau,
            wau: windows.wau,
            new_users_today: counts.new_users_today,
            blocked_users: counts.blocked_users,
            reg_trend: trend
                .into_iter()
                .map(|(day, count)| pb::DayCount {
                    day: day.format("%Y-%m-%d").to_string(),
                    count,
                })
                .collect(),
        }))
    }
}

/// Upper bound on accounts per page or per `GetAccounts` call.
const MAX_ACCOUNTS: i32 = 1000;

fn account_pb(a: AccountRow) -> pb::Account {
    pb::Account {
        id: a.id.0,
        username: a.username,
        display_name: a.display_name,
        email: a.email,
        bio: a.bio,
        is_active: a.is_active,
        is_admin: a.is_admin,
        is_blocked: a.is_blocked,
        created_at_micros: a.created_at.timestamp_micros(),
        updated_at_micros: a.updated_at.timestamp_micros(),
        last_activity_micros: a.last_activity.map(|t| t.timestamp_micros()),
    }
}
