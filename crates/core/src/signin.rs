//! Signing a resident in, once for every client (the app and the CLI):
//! find the profile this resident used on this device (by a keyed tag of
//! the IIN) or create one, ask for a one-time code, verify it (which
//! registers the profile's device key) and mark the profile signed in.
//! The two halves may run in different processes (the CLI asks for the
//! code in one run and verifies it in the next): [`Home::begin_sign_in`]
//! finds the same profile again.

use std::sync::Arc;

use dauys_proto::{iin, Me, OtpResponse};
use zeroize::Zeroizing;

use crate::error::{CoreError, Result};
use crate::home::Home;
use crate::profile::{Profile, ProfileInfo};

/// Who signs in, and where.
#[derive(Debug, Clone, Default)]
pub struct SignInRequest<'a> {
    pub iin: &'a str,
    /// The server to use. `None`: the one of the resident's existing
    /// profile (required when there is none yet).
    pub server: Option<&'a str>,
    /// A new profile is a kiosk profile.
    pub kiosk: bool,
    /// Display name of a new profile (default: the masked IIN).
    pub label: Option<&'a str>,
}

/// A sign-in under way: the profile is open, not yet signed in.
pub struct SignIn {
    iin: Zeroizing<String>,
    profile: Arc<Profile>,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("profile", &self.profile.id())
            .finish()
    }
}

/// Whether a label is a masked IIN (in any format this app ever wrote),
/// as opposed to a name the user chose.
fn is_masked_label(label: &str) -> bool {
    label.contains('•')
}

impl Home {
    /// Finds the profile `req.iin` used before with this server, or
    /// creates one (labelled with [`dauys_proto::iin::mask`]), and opens
    /// it. The IIN is checked first (checksum, birth date), so a typo
    /// never reaches the server: [`CoreError::InvalidIin`].
    pub fn begin_sign_in(&self, req: &SignInRequest) -> Result<SignIn> {
        let iin = req.iin.trim();
        iin::Iin::parse(iin).map_err(CoreError::InvalidIin)?;
        let server = req.server.map(|s| s.trim().trim_end_matches('/'));
        let info = match self.find_by_iin(iin)? {
            Some(i) if server.is_none_or(|s| s == i.server) => {
                // One label format in the registry: profiles labelled by
                // an older mask format get today's.
                let mask = iin::mask(iin);
                if is_masked_label(&i.label) && i.label != mask {
                    self.update(&i.id, |p| p.label = mask)?
                } else {
                    i
                }
            }
            _ => {
                let server = server.ok_or_else(|| {
                    CoreError::Invalid("--server is required for a new profile".into())
                })?;
                let label = req
                    .label
                    .map(String::from)
                    .unwrap_or_else(|| iin::mask(iin));
                self.create_profile(&label, server, req.kiosk, Some(iin))?
            }
        };
        Ok(SignIn {
            iin: Zeroizing::new(iin.to_string()),
            profile: Arc::new(self.open_profile(&info.id)?),
        })
    }
}

impl SignIn {
    pub fn info(&self) -> &ProfileInfo {
        self.profile.info()
    }

    /// The profile being signed in (open; share it once signed in).
    pub fn profile(&self) -> &Arc<Profile> {
        &self.profile
    }

    /// Asks the server to text a one-time code to the phone on file.
    pub async fn request_code(&self) -> Result<OtpResponse> {
        self.profile.request_code(&self.iin).await
    }

    /// Verifies the code (registering the device key) and marks the
    /// profile signed in and active.
    pub async fn verify(&self, home: &Home, code: &str, device_name: &str) -> Result<Me> {
        let me = self
            .profile
            .verify(&self.iin, code.trim(), device_name)
            .await?;
        home.mark_signed_in(self.profile.id())?;
        Ok(me)
    }
}
