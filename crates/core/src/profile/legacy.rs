//! One-off upgrades of data an older app version left behind.

use std::path::Path;

use super::Profile;
use crate::model::DraftContent;

impl Profile {
    /// Before draft photos were sealed by the core, the app kept them as
    /// plain JPEG files under `root/<profile id>/<draft>/` and listed their
    /// paths in appeal drafts. Seals every such file into its draft (as if
    /// just added), drops its path from the draft and deletes the plain
    /// files. A file that cannot be sealed now stays listed and on disk
    /// for the next attempt — never dropped unsealed; nothing happens when
    /// the drafts cannot be read. A no-op once the folder is gone. Returns
    /// whether the folder is gone.
    pub fn seal_plain_draft_photos(&self, root: &Path) -> bool {
        // Callers run concurrently (app commands): one migration at a
        // time, or a file could be sealed twice.
        static MIGRATING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _one = MIGRATING.lock().unwrap_or_else(|e| e.into_inner());
        let mine = root.join(self.id());
        if !mine.exists() {
            return true;
        }
        let Ok(drafts) = self.drafts() else {
            return false;
        };
        let mut failed = false;
        for d in drafts {
            let DraftContent::Appeal(mut a) = d.content else {
                continue;
            };
            if a.photos.is_empty() {
                continue;
            }
            let mut keep = Vec::new();
            for path in std::mem::take(&mut a.photos) {
                if !path.starts_with(root) {
                    keep.push(path);
                    continue;
                }
                // Files were named `<n>-<original name>`.
                let name = path
                    .file_name()
                    .map(|n| {
                        let n = n.to_string_lossy();
                        n.split_once('-').map_or(n.to_string(), |x| x.1.to_string())
                    })
                    .unwrap_or_else(|| "photo.jpg".into());
                match std::fs::read(&path) {
                    Ok(bytes) => {
                        if let Err(e) = self.add_draft_photo(&d.id, &name, &bytes) {
                            tracing::warn!("could not seal a draft photo: {e}");
                            failed = true;
                            keep.push(path);
                        }
                    }
                    // Already gone: nothing to seal.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        tracing::warn!("could not read a draft photo: {e}");
                        failed = true;
                        keep.push(path);
                    }
                }
            }
            a.photos = keep;
            if let Err(e) = self.save_draft(Some(&d.id), &DraftContent::Appeal(a)) {
                tracing::warn!("could not update a migrated draft: {e}");
                failed = true;
            }
        }
        if failed {
            return false;
        }
        let _ = std::fs::remove_dir_all(&mine);
        // Removes `root` only when no other profile still has files there.
        let _ = std::fs::remove_dir(root);
        true
    }
}
