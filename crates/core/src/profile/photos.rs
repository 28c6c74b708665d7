//! Photos of projects (and appeals) the user may see, fetched only when
//! asked for — each costs bytes on a slow link — and then kept on the
//! device, sealed with the profile's key like every other file of it, so
//! a second look costs nothing and works offline.

use super::Profile;
use crate::error::{CoreError, Result};

impl Profile {
    /// The bytes of the photo `upload_id`: from the device when it was
    /// fetched before, else from the server (which answers only to whoever
    /// may see the item it belongs to).
    pub async fn photo(&self, upload_id: &str) -> Result<Vec<u8>> {
        // A UUID: never a path of its own.
        let id = uuid::Uuid::parse_str(upload_id)
            .map_err(|_| CoreError::Invalid(format!("{upload_id} is not a photo id")))?
            .to_string();
        let path = self.media.0.join(format!("cache-{id}.bin"));
        if let Ok(sealed) = std::fs::read(&path) {
            if let Ok(plain) = self.cipher.open(&sealed) {
                return Ok(plain);
            }
        }
        let token = self.token()?;
        let bytes = self
            .api
            .download(token.as_ref().map(|t| t.as_str()), &id)
            .await?;
        crate::crypto::write_private(&path, &self.cipher.seal(&bytes))?;
        Ok(bytes)
    }
}
