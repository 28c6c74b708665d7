//! Who the profile is: its device key, its session (token, signed-in
//! user) and the localities it follows.

use dauys_proto::{Me, Op, VerifyRequest};
use ed25519_dalek::{Signer, SigningKey};
use rusqlite::Connection;
use zeroize::Zeroizing;

use super::kv::{self, Meta, Secret};
use super::Profile;
use crate::crypto::Cipher;
use crate::error::{CoreError, Result};

/// The profile's Ed25519 device key, created on first open. It survives
/// sign-out so ops queued before a session expired stay valid.
pub(crate) fn device_key(c: &Connection, cipher: &Cipher) -> Result<SigningKey> {
    if let Some(raw) = kv::secret(c, cipher, Secret::DeviceKey)? {
        let arr: [u8; 32] = raw.as_slice().try_into().map_err(|_| CoreError::Crypto)?;
        return Ok(SigningKey::from_bytes(&arr));
    }
    let k = SigningKey::generate(&mut rand::rngs::OsRng);
    kv::set_secret(c, cipher, Secret::DeviceKey, &k.to_bytes())?;
    Ok(k)
}

/// Signs `op` when its kind requires a signature: a built-in kind by
/// proto's rule, any kind when its component asks (`component_needs`).
/// Bound to the signed-in account and its server when the server gave its
/// id (protocol v2: the signature is good for nothing else); as protocol
/// v1 otherwise (a server from before it).
pub(crate) fn sign(key: &SigningKey, op: &mut Op, component_needs: bool, me: Option<&Me>) {
    let needs = component_needs
        || dauys_proto::OpKind::parse(&op.kind).is_some_and(|k| k.requires_signature());
    if needs {
        let bytes = match me.filter(|m| !m.server_id.is_empty()) {
            Some(m) => dauys_proto::signing_bytes_bound(op, &m.server_id, &m.user_id),
            None => dauys_proto::signing_bytes(op),
        };
        let sig = key.sign(&bytes);
        op.signature = Some(dauys_proto::hex(&sig.to_bytes()));
    }
}

/// The signed-in user as stored at the last sign-in (in a transaction of
/// the caller's).
pub(crate) fn stored_me(c: &Connection, cipher: &Cipher) -> Result<Option<Me>> {
    match kv::secret(c, cipher, Secret::Me)? {
        Some(b) => Ok(Some(serde_json::from_slice(&b)?)),
        None => Ok(None),
    }
}

pub(crate) fn follows(c: &Connection) -> Result<Vec<String>> {
    Ok(kv::get(c, Meta::Follows)?
        .map(|s| serde_json::from_str(&s))
        .transpose()?
        .unwrap_or_default())
}

impl Profile {
    /// Hex Ed25519 public key of this profile's device key.
    pub fn device_key(&self) -> String {
        dauys_proto::hex(self.signing.verifying_key().as_bytes())
    }

    pub(crate) fn token(&self) -> Result<Option<Zeroizing<String>>> {
        let c = self.conn();
        Ok(kv::secret(&c, &self.cipher, Secret::Token)?
            .map(|b| Zeroizing::new(String::from_utf8_lossy(&b).into_owned())))
    }

    /// The signed-in user (as of the last sign-in).
    pub fn me(&self) -> Result<Option<Me>> {
        let c = self.conn();
        match kv::secret(&c, &self.cipher, Secret::Me)? {
            Some(b) => Ok(Some(serde_json::from_slice(&b)?)),
            None => Ok(None),
        }
    }

    /// Asks the server to text a one-time code to the phone on file.
    pub async fn request_code(&self, iin: &str) -> Result<dauys_proto::OtpResponse> {
        self.api.request_otp(iin).await
    }

    /// Exchanges the code for a session bound to this profile's device key.
    pub async fn verify(&self, iin: &str, code: &str, device_name: &str) -> Result<Me> {
        let s = self
            .api
            .verify(&VerifyRequest {
                iin: iin.into(),
                code: code.into(),
                device_key: self.device_key(),
                device_name: device_name.into(),
            })
            .await?;
        let c = self.conn();
        let tx = c.unchecked_transaction()?;
        kv::set_secret(&tx, &self.cipher, Secret::Token, s.token.as_bytes())?;
        kv::set_secret(&tx, &self.cipher, Secret::Me, &serde_json::to_vec(&s.me)?)?;
        kv::set(&tx, Meta::TokenExpiresAt, &s.expires_at.to_string())?;
        // A first sign-in follows the user's own locality.
        if kv::get(&tx, Meta::Follows)?.is_none() {
            kv::set(
                &tx,
                Meta::Follows,
                &serde_json::to_string(&vec![s.me.locality.clone()])?,
            )?;
        }
        tx.commit()?;
        Ok(s.me)
    }

    /// Forgets the session token locally (the server session is revoked
    /// best-effort by [`crate::Home::sign_out`]).
    pub(crate) fn forget_session(&self) -> Result<()> {
        kv::delete_secret(&self.conn(), Secret::Token)
    }

    pub fn follows(&self) -> Result<Vec<String>> {
        follows(&self.conn())
    }

    /// Follows a locality (and everything under it); the next sync pulls it.
    pub fn follow(&self, code: &str) -> Result<()> {
        let c = self.conn();
        let tx = c.unchecked_transaction()?;
        let mut f = follows(&tx)?;
        if !f.iter().any(|x| x == code) {
            f.push(code.to_string());
            kv::set(&tx, Meta::Follows, &serde_json::to_string(&f)?)?;
            // A new locality needs its history: pull from the start (upserts are idempotent).
            kv::set(&tx, Meta::Cursor, "0")?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn unfollow(&self, code: &str) -> Result<()> {
        let c = self.conn();
        let tx = c.unchecked_transaction()?;
        let f: Vec<String> = follows(&tx)?.into_iter().filter(|x| x != code).collect();
        kv::set(&tx, Meta::Follows, &serde_json::to_string(&f)?)?;
        tx.commit()?;
        Ok(())
    }
}
