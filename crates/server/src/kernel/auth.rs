//! Sign-in with IIN + one-time code, device keys, sessions and roles.

use dauys_proto::iin::Iin;
use dauys_proto::locality::LocalityTree;
use dauys_proto::{ErrorCode, Me, OtpResponse, Role, RoleGrant, SessionResponse, VerifyRequest};
use uuid::Uuid;

use crate::crypto;
use crate::db::{self, Conn};
use crate::error::{AppResult, Reject};
use crate::kernel::throttle::{ClientKey, Door};
use crate::params;
use crate::state::AppState;

/// The signed-in user behind a request.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: String,
    pub locality: String,
    pub birth_date: time::Date,
    pub device_id: String,
    pub roles: Vec<RoleGrant>,
}

fn parse_iin(iin: &str) -> Result<Iin, Reject> {
    Iin::parse(iin).map_err(|e| Reject {
        code: ErrorCode::InvalidIin,
        field: Some("iin".into()),
        detail: e.to_string(),
    })
}

/// The one way a phone number is shown: `+7 *** *** 12 34`.
pub fn mask_phone(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let tail = &digits[digits.len().saturating_sub(4)..];
    format!(
        "+7 *** *** {} {}",
        &tail[..tail.len().min(2)],
        &tail[tail.len().min(2)..]
    )
}

/// Sends a code to the phone on file.
///
/// Every IIN with a valid checksum gets the same answer, with no hint of
/// the phone: whether it is in the census is nobody's business. Unknown
/// IINs get the same bookkeeping (a code nobody receives, the same limits),
/// so nothing about the answers tells them apart either.
///
/// Past `otp_max_sends` per window a new code goes out only once the last
/// one has expired: a stranger asking again and again cannot stop the
/// resident from signing in with the code on their phone (and sends them
/// at most one SMS per code lifetime).
pub fn request_otp(
    st: &AppState,
    c: &mut dyn Conn,
    iin: &str,
    client: &ClientKey,
) -> AppResult<OtpResponse> {
    let iin = parse_iin(iin)?;
    st.throttle.admit(Door::Code, client)?;
    let hash = crypto::iin_hash(&st.secret, &iin.as_string());
    let now = st.clock.now_ms();
    let cfg = &st.config;
    let code = crypto::otp_code();
    let send_to =
        db::write_tx(c, |c| -> AppResult<Option<String>> {
            let phone = c
                .query_one(
                    "SELECT phone FROM residents WHERE iin_hash = $1",
                    params![&hash],
                )?
                .map(|r| r.get("phone"))
                .transpose()?;
            let prev = c.query_one(
                "SELECT window_start, sends, expires_at FROM otp_codes WHERE iin_hash = $1",
                params![&hash],
            )?;
            let (window_start, sends, valid) = match prev {
                Some(r) if now - r.get::<i64>("window_start")? < cfg.otp_window_ms => (
                    r.get("window_start")?,
                    r.get("sends")?,
                    r.get::<i64>("expires_at")? > now,
                ),
                Some(r) => (now, 0, r.get::<i64>("expires_at")? > now),
                None => (now, 0, false),
            };
            if sends >= cfg.otp_max_sends && valid {
                // The code already sent still works: no new one.
                return Ok(None);
            }
            let code_hash = crypto::keyed_hash(&st.secret, "otp", &[&hash, &code]);
            c.exec(
            "INSERT INTO otp_codes (iin_hash, code_hash, expires_at, attempts, window_start, sends)
             VALUES ($1, $2, $3, 0, $4, $5)
             ON CONFLICT (iin_hash) DO UPDATE SET code_hash = excluded.code_hash,
               expires_at = excluded.expires_at, attempts = 0,
               window_start = excluded.window_start, sends = excluded.sends",
            params![&hash, code_hash, now + cfg.otp_ttl_ms, window_start, sends + 1],
        )?;
            // A new code: every client's guesses start again.
            c.exec(
                "DELETE FROM otp_guesses WHERE iin_hash = $1",
                params![&hash],
            )?;
            Ok(phone)
        })?;
    if let Some(phone) = &send_to {
        // Sent after commit: a code the database does not know is never sent.
        st.sms.send_code(phone, &code);
        tracing::info!("one-time code sent");
    }
    Ok(OtpResponse {
        phone_hint: None,
        expires_in_s: cfg.otp_ttl_ms / 1000,
    })
}

/// Checks the code, registers the device key and opens a session.
pub fn verify_otp(
    st: &AppState,
    c: &mut dyn Conn,
    req: &VerifyRequest,
    client: &ClientKey,
) -> AppResult<SessionResponse> {
    let iin = parse_iin(&req.iin)?;
    st.throttle.admit(Door::Check, client)?;
    let key = dauys_proto::unhex(&req.device_key)
        .filter(|k| k.len() == 32)
        .and_then(|k| ed25519_dalek::VerifyingKey::try_from(k.as_slice()).ok())
        // A small-order key "verifies" signatures nobody made.
        .filter(|k| !k.is_weak())
        .ok_or_else(|| Reject::field("device_key", "expected a hex Ed25519 public key"))?;
    // Shown to the resident in their list of devices: no control characters.
    let device_name: String = req
        .device_name
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let hash = crypto::iin_hash(&st.secret, &iin.as_string());
    let now = st.clock.now_ms();
    let token = crypto::random_token();
    let token_hash = crypto::sha256_hex(token.as_bytes());
    let cfg = &st.config;
    // A wrong guess must count even though the request fails: the attempt
    // counter is committed before the rejection is returned.
    let outcome = db::write_tx(c, |c| -> AppResult<Result<String, Reject>> {
        let user_id = match consume_code(st, c, &hash, &req.code, client)? {
            Ok(u) => u,
            Err(r) => return Ok(Err(r)),
        };
        let key_hex = dauys_proto::hex(key.as_bytes());
        // A key is one device of one person: another account registering it
        // could replay that person's signed ops as its own.
        let taken = c
            .query_one(
                "SELECT id FROM devices WHERE public_key = $1 AND user_id <> $2",
                params![&key_hex, &user_id],
            )?
            .is_some();
        if taken {
            return Ok(Err(Reject::field(
                "device_key",
                "this device key belongs to another account; make a new one",
            )));
        }
        let device_id = match c.query_one(
            "SELECT id, revoked FROM devices WHERE user_id = $1 AND public_key = $2",
            params![&user_id, &key_hex],
        )? {
            // Signing in again does not bring a revoked device back.
            Some(r) if r.get::<bool>("revoked")? => {
                return Ok(Err(Reject::new(
                    ErrorCode::Forbidden,
                    "this device key was revoked; make a new one",
                )
                .with_field("device_key")));
            }
            Some(r) => r.get("id")?,
            None => {
                let id = Uuid::now_v7().to_string();
                c.exec(
                    "INSERT INTO devices (id, user_id, public_key, name, created_at) VALUES ($1, $2, $3, $4, $5)",
                    params![&id, &user_id, &key_hex, &device_name, now],
                )?;
                id
            }
        };
        c.exec(
            "INSERT INTO sessions (token_hash, user_id, device_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            params![&token_hash, &user_id, device_id, now, now + cfg.session_ttl_ms],
        )?;
        Ok(Ok(user_id))
    })?;
    let user_id = outcome?;
    let actor = load_actor_by_user(st, c, &user_id, "")?;
    Ok(SessionResponse {
        token,
        expires_at: now + cfg.session_ttl_ms,
        me: me_of(st, &actor),
    })
}

/// Checks a one-time code inside the caller's write transaction and uses
/// it up: the user id, or why not (a wrong guess is counted). The one
/// code check of every sign-in (the app's device sessions and the staff
/// console's).
///
/// Wrong guesses are counted per client (`otp_max_attempts`) and per code
/// (`otp_max_attempts_total`): someone else's guesses do not use up the
/// resident's own tries. An IIN outside the census, or with no code, gets
/// exactly the answers of a wrong guess.
fn consume_code(
    st: &AppState,
    c: &mut dyn Conn,
    hash: &str,
    code: &str,
    client: &ClientKey,
) -> AppResult<Result<String, Reject>> {
    let cfg = &st.config;
    let now = st.clock.now_ms();
    let who = crypto::keyed_hash(&st.secret, "client", &[&client.0]);
    let who = &who[..16];
    let row = c.query_one(
        "SELECT o.code_hash, o.expires_at, o.attempts, r.id AS user_id,
                COALESCE(g.attempts, 0) AS mine
           FROM otp_codes o
           LEFT JOIN residents r ON r.iin_hash = o.iin_hash
           LEFT JOIN otp_guesses g ON g.iin_hash = o.iin_hash AND g.client = $2
          WHERE o.iin_hash = $1",
        params![hash, who],
    )?;
    let wrong = || Reject::new(ErrorCode::CodeWrong, "wrong code").with_field("code");
    let Some(row) = row else {
        return Ok(Err(wrong()));
    };
    let (code_hash, expires_at, attempts, user_id, mine): (String, i64, i64, Option<String>, i64) = (
        row.get("code_hash")?,
        row.get("expires_at")?,
        row.get("attempts")?,
        row.get("user_id")?,
        row.get("mine")?,
    );
    if mine >= cfg.otp_max_attempts || attempts >= cfg.otp_max_attempts_total {
        return Ok(Err(Reject::new(
            ErrorCode::RateLimited,
            "too many wrong codes; request a new one",
        )));
    }
    if now > expires_at {
        return Ok(Err(Reject::new(
            ErrorCode::CodeExpired,
            "the code has expired; request a new one",
        )));
    }
    let given = crypto::keyed_hash(&st.secret, "otp", &[hash, code.trim()]);
    let Some(user_id) = user_id.filter(|_| given == code_hash) else {
        c.exec(
            "UPDATE otp_codes SET attempts = attempts + 1 WHERE iin_hash = $1",
            params![hash],
        )?;
        c.exec(
            "INSERT INTO otp_guesses (iin_hash, client, attempts) VALUES ($1, $2, 1)
             ON CONFLICT (iin_hash, client) DO UPDATE SET attempts = otp_guesses.attempts + 1",
            params![hash, who],
        )?;
        return Ok(Err(wrong()));
    };
    c.exec("DELETE FROM otp_codes WHERE iin_hash = $1", params![hash])?;
    c.exec("DELETE FROM otp_guesses WHERE iin_hash = $1", params![hash])?;
    Ok(Ok(user_id))
}

/// Checks IIN + code (the same rules as [`verify_otp`]) without a device:
/// the user id of a staff console sign-in, which opens its own session.
pub fn verify_code(
    st: &AppState,
    c: &mut dyn Conn,
    iin: &str,
    code: &str,
    client: &ClientKey,
) -> AppResult<String> {
    let iin = parse_iin(iin)?;
    st.throttle.admit(Door::Check, client)?;
    let hash = crypto::iin_hash(&st.secret, &iin.as_string());
    let outcome = db::write_tx(c, |c| consume_code(st, c, &hash, code, client))?;
    Ok(outcome?)
}

pub fn me_of(st: &AppState, a: &Actor) -> Me {
    Me {
        user_id: a.user_id.clone(),
        locality: a.locality.clone(),
        age: dauys_proto::iin::age_on(a.birth_date, st.clock.today()),
        roles: a.roles.clone(),
        server_id: st.server_id.to_string(),
    }
}

pub fn load_actor_by_user(
    st: &AppState,
    c: &mut dyn Conn,
    user_id: &str,
    device_id: &str,
) -> AppResult<Actor> {
    let _ = st;
    let row = c
        .query_one(
            "SELECT locality, birth_date FROM residents WHERE id = $1",
            params![user_id],
        )?
        .ok_or_else(|| Reject::new(ErrorCode::Unauthorized, "unknown user"))?;
    actor_with_roles(c, user_id, device_id, &row)
}

/// The actor of a resident whose `locality` and `birth_date` are in `row`:
/// their grants read from the roles table.
fn actor_with_roles(
    c: &mut dyn Conn,
    user_id: &str,
    device_id: &str,
    row: &crate::db::Row,
) -> AppResult<Actor> {
    let roles = c.query(
        "SELECT role, locality, body FROM roles WHERE user_id = $1 ORDER BY role, locality, body",
        params![user_id],
    )?;
    actor_from(user_id, device_id, row, roles.iter())
}

/// The actor of a session `row` (locality, birth date) with its `roles`
/// rows (role, locality, body), in their order.
pub(crate) fn actor_from<'r>(
    user_id: &str,
    device_id: &str,
    row: &crate::db::Row,
    roles: impl Iterator<Item = &'r crate::db::Row>,
) -> AppResult<Actor> {
    let birth_date = dauys_proto::workdays::parse_date(&row.get::<String>("birth_date")?)
        .ok_or_else(|| crate::error::AppError::Internal("bad birth date".into()))?;
    let mut grants = vec![RoleGrant {
        role: Role::Citizen,
        locality: Some(row.get("locality")?),
        body: None,
    }];
    for r in roles {
        if let Some(role) = Role::parse(&r.get::<String>("role")?) {
            let loc: String = r.get("locality")?;
            let body: String = r.get("body")?;
            grants.push(RoleGrant {
                role,
                locality: (!loc.is_empty()).then_some(loc),
                body: (!body.is_empty()).then_some(body),
            });
        }
    }
    Ok(Actor {
        user_id: user_id.to_string(),
        locality: row.get("locality")?,
        birth_date,
        device_id: device_id.to_string(),
        roles: grants,
    })
}

/// A session with its device and resident, as sign-in reads it.
pub(crate) const SESSION_SELECT: &str = "SELECT s.token_hash, s.user_id, s.device_id, s.expires_at,
    s.revoked AS session_revoked, d.revoked AS device_revoked, r.locality, r.birth_date
    FROM sessions s JOIN devices d ON d.id = s.device_id JOIN residents r ON r.id = s.user_id";

/// Refuses a session row that is revoked, of a revoked device, or expired.
pub(crate) fn session_usable(st: &AppState, row: &crate::db::Row) -> AppResult<()> {
    if row.get::<bool>("session_revoked")?
        || row.get::<bool>("device_revoked")?
        || row.get::<i64>("expires_at")? < st.clock.now_ms()
    {
        return Err(Reject::new(
            ErrorCode::Unauthorized,
            "session expired or revoked; sign in again",
        )
        .into());
    }
    Ok(())
}

pub(crate) fn unknown_session() -> crate::error::AppError {
    Reject::new(ErrorCode::Unauthorized, "unknown session; sign in again").into()
}

/// Resolves a bearer token to its user; expired or revoked tokens fail.
pub fn authenticate(st: &AppState, c: &mut dyn Conn, token: &str) -> AppResult<Actor> {
    let token_hash = crypto::sha256_hex(token.as_bytes());
    let row = c
        .query_one(
            &format!("{SESSION_SELECT} WHERE s.token_hash = $1"),
            params![&token_hash],
        )?
        .ok_or_else(unknown_session)?;
    session_usable(st, &row)?;
    // The resident came with the session: one query less on every
    // signed-in request.
    actor_with_roles(
        c,
        &row.get::<String>("user_id")?,
        &row.get::<String>("device_id")?,
        &row,
    )
}

pub fn revoke_session(c: &mut dyn Conn, token: &str) -> AppResult<()> {
    let token_hash = crypto::sha256_hex(token.as_bytes());
    c.exec(
        "UPDATE sessions SET revoked = 1 WHERE token_hash = $1",
        params![&token_hash],
    )?;
    Ok(())
}

/// Hex public keys of the user's devices, this request's device first,
/// each with when it first signed a bound op (protocol v2; 0: never) — its
/// unbound (v1) signatures are accepted only on ops made before then.
pub fn device_keys(c: &mut dyn Conn, actor: &Actor) -> AppResult<Vec<(String, i64)>> {
    let rows = c.query(
        "SELECT public_key, id, bound FROM devices WHERE user_id = $1 AND revoked = 0",
        params![&actor.user_id],
    )?;
    let mut keys = Vec::new();
    for r in rows {
        let key = (r.get::<String>("public_key")?, r.get::<i64>("bound")?);
        if r.get::<String>("id")? == actor.device_id {
            keys.insert(0, key);
        } else {
            keys.push(key);
        }
    }
    Ok(keys)
}

/// Marks device keys — (user id, key hex) pairs — as signing bound ops
/// from `now` (ms) on: one statement per 200 pairs.
pub fn mark_bound(c: &mut dyn Conn, pairs: &[(&str, &str)], now: i64) -> AppResult<()> {
    for chunk in pairs.chunks(200) {
        let mut params: Vec<crate::db::Value> = vec![now.into()];
        let mut rows = Vec::with_capacity(chunk.len());
        for (i, (user, key)) in chunk.iter().enumerate() {
            rows.push(format!("(${}, ${})", 2 + 2 * i, 3 + 2 * i));
            params.push((*user).into());
            params.push((*key).into());
        }
        c.exec(
            &format!(
                "UPDATE devices SET bound = $1 WHERE bound = 0 AND (user_id, public_key) IN (VALUES {})",
                rows.join(", ")
            ),
            &params,
        )?;
    }
    Ok(())
}

/// Whether `loc` is `ancestor` or lies under it.
pub fn locality_within(c: &mut dyn Conn, loc: &str, ancestor: &str) -> AppResult<bool> {
    Ok(locality_tree(c)?.is_within(loc, ancestor))
}

/// The whole locality tree in one query (a few thousand rows at most for
/// a country): cheaper than walking parents one query at a time.
pub fn locality_tree(c: &mut dyn Conn) -> AppResult<LocalityTree> {
    let mut pairs = Vec::new();
    for r in c.query("SELECT code, parent FROM localities", params![])? {
        pairs.push((r.get::<String>("code")?, r.get::<Option<String>>("parent")?));
    }
    Ok(LocalityTree::new(pairs))
}

/// Requires one of `roles` (or admin) for `locality`; denies otherwise.
/// A department's grant (one body) never counts here: its holder works
/// only on what is addressed to that body ([`require_role_at`]).
pub fn require_role(
    c: &mut dyn Conn,
    actor: &Actor,
    roles: &[Role],
    locality: &str,
) -> AppResult<()> {
    require_role_at(c, actor, roles, locality, None)
}

/// [`require_role`] for an item in `locality` addressed to `body` (an
/// appeal): a department's grant for that very body also admits.
pub fn require_role_at(
    c: &mut dyn Conn,
    actor: &Actor,
    roles: &[Role],
    locality: &str,
    body: Option<&str>,
) -> AppResult<()> {
    let mut tree = None;
    for g in &actor.roles {
        if g.role == Role::Citizen || !(roles.contains(&g.role) || g.role == Role::Admin) {
            continue;
        }
        if let Some(granted) = &g.body {
            if body == Some(granted.as_str()) {
                return Ok(());
            }
            continue;
        }
        match &g.locality {
            None => return Ok(()),
            Some(scope) => {
                if tree.is_none() {
                    tree = Some(locality_tree(c)?);
                }
                if tree.as_ref().is_some_and(|t| t.is_within(locality, scope)) {
                    return Ok(());
                }
            }
        }
    }
    // Which locality the item is in is not said: the caller may not know.
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    Err(Reject::new(
        ErrorCode::Forbidden,
        format!(
            "requires the role {} where this item is",
            names.join(" or ")
        ),
    )
    .into())
}

/// Where an item lies: its locality and, for an appeal, the body it is
/// addressed to (which a department's grant reaches).
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub locality: String,
    pub body: Option<String>,
}

/// What decides who may see an item (and its photos): whether it is
/// public, who made it, where it lies and which body it is addressed to.
pub struct ItemAccess {
    pub public: bool,
    pub owner: String,
    pub locality: String,
    pub body: Option<String>,
}

/// The rule every component applies to its items: a public item to
/// anyone, otherwise to its owner and to holders of `staff` roles whose
/// scope holds it. A missing item (`None`) to nobody.
pub fn may_see_item(
    c: &mut dyn Conn,
    item: Option<ItemAccess>,
    viewer: Option<&Actor>,
    staff: &[Role],
) -> AppResult<bool> {
    let Some(item) = item else {
        return Ok(false);
    };
    if item.public {
        return Ok(true);
    }
    let Some(v) = viewer else {
        return Ok(false);
    };
    Ok(item.owner == v.user_id
        || require_role_at(c, v, staff, &item.locality, item.body.as_deref()).is_ok())
}
