//! Tauri commands: a thin adapter from the UI's DTOs (`ui/src/dto.rs`) to
//! `dauys-core`. No network access here except through the core; every
//! error reaches the UI as a Fluent message id (`CmdError`).

use std::path::PathBuf;
use std::sync::Arc;

use dauys_core::proto::{self, AppealType, Body, Locality, Phase, ProposalStatus};
use dauys_core::{
    AppealInput, AppealView, BallotInput, BallotStatus, CommentInput, CoreError, DraftContent,
    OpState, Profile,
};
use tauri::{AppHandle, State};

use crate::dto::*;
use crate::state::AppState;

type R<T> = Result<T, CmdError>;

fn err(e: CoreError) -> CmdError {
    let detail = e.to_string();
    match e {
        CoreError::Api { code, .. } => CmdError::from_code(code, detail),
        CoreError::Net(_) => CmdError::new("error-network", detail),
        CoreError::NotSignedIn | CoreError::NoActiveProfile | CoreError::NoProfile(_) => {
            CmdError::new("error-not-signed-in", detail)
        }
        CoreError::NotFound(_) => CmdError::new("error-not-found", detail),
        CoreError::Invalid(_) => CmdError::new("error-invalid-field", detail),
        CoreError::InsecureUrl(_) => CmdError::new("error-insecure-server", detail),
        CoreError::Image(_) => CmdError::new("error-photo", detail),
        _ => CmdError::new("error-internal", detail),
    }
}

fn io(e: std::io::Error) -> CmdError {
    CmdError::new("error-internal", e.to_string())
}

/// The signed-in profile, or "please sign in".
fn profile(st: &AppState) -> R<Arc<Profile>> {
    let p = st
        .active()
        .ok_or_else(|| CmdError::new("error-not-signed-in", "no active profile"))?;
    let _ = st.home().touch(p.id());
    Ok(p)
}

fn masked(iin: &str) -> String {
    let d: Vec<char> = iin.trim().chars().collect();
    if d.len() < 6 {
        return "••••".into();
    }
    format!(
        "{}{}••••••{}",
        d[0],
        d[1],
        d[d.len() - 2..].iter().collect::<String>()
    )
}

fn profile_info(p: &Profile, active: bool) -> ProfileInfo {
    ProfileInfo {
        id: p.id().to_string(),
        label: p.info().label.clone(),
        locality: p.follows().ok().and_then(|f| f.into_iter().next()),
        active,
    }
}

fn delivery(s: Option<&OpState>) -> (Delivery, Option<CmdError>) {
    match s {
        None | Some(OpState::Accepted { .. }) => (Delivery::Delivered, None),
        Some(OpState::Queued) => (Delivery::Queued, None),
        Some(OpState::Sending) => (Delivery::Sending, None),
        Some(OpState::Rejected {
            message_key,
            detail,
            ..
        }) => (
            Delivery::Rejected,
            Some(CmdError::new(message_key.clone(), detail.clone())),
        ),
    }
}

fn appeal_item(v: AppealView) -> AppealItem {
    let (d, e) = delivery(v.delivery.as_ref());
    AppealItem {
        id: v.appeal.id.clone(),
        appeal: v.appeal,
        delivery: d,
        error: e,
    }
}

// ----- start, settings, sign-in -----

#[tauri::command(rename_all = "snake_case")]
pub async fn boot(st: State<'_, AppState>) -> R<Boot> {
    let profile = st.active().map(|p| profile_info(&p, true));
    Ok(Boot {
        settings: st.settings(),
        profile,
        status: st.status(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        default_server: st.default_server.clone(),
        languages: LOCALES
            .iter()
            .map(|(tag, src)| LangName {
                tag: tag.to_string(),
                name: plain_message(src, "language-name"),
                choose: plain_message(src, "choose-language"),
            })
            .collect(),
    })
}

/// The Fluent bundles, embedded at compile time. The UI asks for its active
/// language's only (`locale`), so the wasm carries none of them.
const LOCALES: [(&str, &str); 3] = [
    ("kk", include_str!("../../locales/kk/main.ftl")),
    ("ru", include_str!("../../locales/ru/main.ftl")),
    ("en", include_str!("../../locales/en/main.ftl")),
];

/// The text of a one-line message without placeables (`id = text`); the
/// i18n test keeps `language-name` and `choose-language` that simple.
fn plain_message(src: &str, id: &str) -> String {
    src.lines()
        .find_map(|l| l.strip_prefix(id)?.trim_start().strip_prefix('='))
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| id.to_string())
}

/// The Fluent source of one language (`kk`, `ru`, `en`).
#[tauri::command(rename_all = "snake_case")]
pub async fn locale(lang: String) -> R<String> {
    LOCALES
        .iter()
        .find(|(tag, _)| *tag == lang)
        .map(|(_, src)| src.to_string())
        .ok_or_else(|| CmdError::new("error-internal", format!("no locale {lang}")))
}

/// Called by the UI once its first screen is drawn (start-up timing).
#[tauri::command(rename_all = "snake_case")]
pub async fn ui_ready() -> R<()> {
    if std::env::var_os("DAUYS_TIMING").is_some() {
        let ms = crate::STARTED
            .get()
            .map(|t| t.elapsed().as_millis())
            .unwrap_or(0);
        eprintln!("dauys-app: first screen rendered after {ms} ms");
    }
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_settings(
    app: AppHandle,
    st: State<'_, AppState>,
    settings: Settings,
) -> R<Settings> {
    let mut s = settings;
    s.text_scale = s.text_scale.clamp(100, 200);
    s.kiosk_idle_minutes = s.kiosk_idle_minutes.min(240);
    if let Some(l) = &s.lang {
        if !LANGS.contains(&l.as_str()) {
            s.lang = None;
        }
    }
    st.set_settings(s.clone()).map_err(io)?;
    st.refresh_pending(&app);
    Ok(s)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn request_code(st: State<'_, AppState>, server: String, iin: String) -> R<OtpSent> {
    let iin = iin.trim().to_string();
    if let Err(e) = proto::iin::Iin::parse(&iin) {
        return Err(CmdError::new(
            format!("error-{}", e.code().replace('_', "-")),
            e.to_string(),
        ));
    }
    let server = if server.trim().is_empty() {
        st.settings().server
    } else {
        server.trim().to_string()
    };
    let home = st.home();
    let kiosk = st.settings().kiosk_idle_minutes > 0;
    // The profile this resident used before on this device, or a new one.
    let info = match home.find_by_iin(&iin).map_err(err)? {
        Some(i) if i.server == server.trim_end_matches('/') => i,
        _ => home
            .create_profile(&masked(&iin), &server, kiosk, Some(&iin))
            .map_err(err)?,
    };
    let p = Arc::new(home.open_profile(&info.id).map_err(err)?);
    let r = p.request_code(&iin).await.map_err(err)?;
    st.set_signing_in(Some((info.id.clone(), p)));
    Ok(OtpSent {
        phone_hint: r.phone_hint,
        expires_in_s: r.expires_in_s,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn verify_code(
    app: AppHandle,
    st: State<'_, AppState>,
    iin: String,
    code: String,
) -> R<ProfileInfo> {
    let (id, p) = st
        .signing_in()
        .ok_or_else(|| CmdError::new("error-code-expired", "no code requested"))?;
    p.verify(iin.trim(), code.trim(), "Dauys app")
        .await
        .map_err(err)?;
    st.home().mark_signed_in(&id).map_err(err)?;
    st.set_signing_in(None);
    st.set_active(Some(p.clone()));
    // First pull: localities, cycles and proposals of the user's locality.
    crate::state::sync_once(&app, &st).await;
    Ok(profile_info(&p, true))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn localities(st: State<'_, AppState>) -> R<Vec<Locality>> {
    let p = profile(&st)?;
    p.localities().map_err(err)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn follow(app: AppHandle, st: State<'_, AppState>, locality: String) -> R<ProfileInfo> {
    let p = profile(&st)?;
    // The chosen locality goes first: home shows the first followed one.
    let old = p.follows().map_err(err)?;
    for f in old.iter().filter(|f| **f != locality) {
        p.unfollow(f).map_err(err)?;
    }
    p.follow(&locality).map_err(err)?;
    crate::state::sync_once(&app, &st).await;
    Ok(profile_info(&p, true))
}

// ----- home, proposals, ballots -----

#[tauri::command(rename_all = "snake_case")]
pub async fn home(st: State<'_, AppState>) -> R<Home> {
    let p = profile(&st)?;
    let follows = p.follows().map_err(err)?;
    let all = p.localities().map_err(err)?;
    let locality = follows
        .first()
        .and_then(|code| all.iter().find(|l| &l.code == code).cloned());
    // Cycles of the followed localities and the places above them.
    let mut chain: Vec<String> = Vec::new();
    for f in &follows {
        let mut cur = Some(f.clone());
        while let Some(c) = cur {
            cur = all
                .iter()
                .find(|l| l.code == c)
                .and_then(|l| l.parent.clone());
            chain.push(c);
        }
    }
    let mut cycles: Vec<_> = p
        .cycles(None)
        .map_err(err)?
        .into_iter()
        .filter(|c| chain.is_empty() || chain.contains(&c.locality))
        .collect();
    let rank = |ph: Phase| match ph {
        Phase::Voting => 0,
        Phase::Collecting => 1,
        Phase::Closed => 9,
        _ => 2,
    };
    cycles.sort_by_key(|c| (rank(c.phase), std::cmp::Reverse(c.id.clone())));
    let appeals = p
        .appeals()
        .map_err(err)?
        .into_iter()
        .map(appeal_item)
        .collect();
    Ok(Home {
        locality,
        cycles,
        appeals,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn proposals(st: State<'_, AppState>, query: ProposalQuery) -> R<Vec<proto::Proposal>> {
    let p = profile(&st)?;
    let q = dauys_core::ProposalQuery {
        cycle_id: query.cycle_id,
        search: Some(query.search).filter(|s| !s.trim().is_empty()),
        limit: Some(500),
    };
    let mut list = p.proposals(&q).map_err(err)?;
    if let Some(cat) = query.category.filter(|c| !c.is_empty()) {
        list.retain(|x| x.category == cat);
    }
    Ok(list)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn proposal(st: State<'_, AppState>, id: String) -> R<ProposalDetail> {
    let p = profile(&st)?;
    let proposal = p
        .proposals(&dauys_core::ProposalQuery {
            limit: Some(10_000),
            ..Default::default()
        })
        .map_err(err)?
        .into_iter()
        .find(|x| x.id == id)
        .ok_or_else(|| CmdError::new("error-not-found", format!("proposal {id}")))?;
    let comments = p
        .comments(&id)
        .map_err(err)?
        .into_iter()
        .map(|c| CommentItem {
            delivery: delivery(c.delivery.as_ref()).0,
            comment: c.comment,
        })
        .collect();
    Ok(ProposalDetail { proposal, comments })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_comment(
    app: AppHandle,
    st: State<'_, AppState>,
    proposal_id: String,
    body: String,
) -> R<CommentItem> {
    let p = profile(&st)?;
    if body.chars().count() > proto::limits::MAX_COMMENT_CHARS {
        return Err(CmdError::new("error-payload-too-large", "comment too long"));
    }
    let id = p
        .add_comment(&CommentInput {
            proposal_id: proposal_id.clone(),
            body: body.clone(),
        })
        .map_err(err)?;
    st.refresh_pending(&app);
    st.kick.notify_one();
    Ok(CommentItem {
        comment: proto::Comment {
            id: id.to_string(),
            proposal_id,
            locality: String::new(),
            body,
            visible: true,
            mine: true,
            created_at: 0,
        },
        delivery: Delivery::Queued,
    })
}

fn ballot_view(p: &Profile, cycle_id: &str, only_ballot: bool) -> R<BallotView> {
    let cycle = p
        .cycle(cycle_id)
        .map_err(err)?
        .ok_or_else(|| CmdError::new("error-not-found", format!("cycle {cycle_id}")))?;
    let mut proposals = p
        .proposals(&dauys_core::ProposalQuery {
            cycle_id: Some(cycle_id.to_string()),
            search: None,
            limit: Some(10_000),
        })
        .map_err(err)?;
    if only_ballot {
        proposals.retain(|x| {
            matches!(
                x.status,
                ProposalStatus::OnBallot
                    | ProposalStatus::Selected
                    | ProposalStatus::NotSelected
                    | ProposalStatus::InImplementation
                    | ProposalStatus::Done
            )
        });
    }
    let outbox = p.outbox().map_err(err)?;
    let at_of = |op: &Option<String>| {
        outbox
            .iter()
            .find(|o| Some(o.id.to_string()) == *op)
            .map(|o| o.created_at)
            .unwrap_or(0)
    };
    let state = match p
        .ballots()
        .map_err(err)?
        .into_iter()
        .find(|b| b.cycle_id == cycle_id)
    {
        None => BallotState::None,
        Some(b) => match b.status {
            BallotStatus::QueuedNotCounted | BallotStatus::SendingNotCounted => {
                BallotState::Saved {
                    at: at_of(&b.op_id),
                    proposal_ids: b.proposal_ids,
                }
            }
            BallotStatus::Counted { receipt } => BallotState::Counted {
                at: b
                    .counted
                    .as_ref()
                    .map(|c| c.cast_at)
                    .unwrap_or_else(|| at_of(&b.op_id)),
                proposal_ids: b.proposal_ids,
                receipt,
            },
            BallotStatus::Rejected {
                code, message_key, ..
            } => BallotState::Rejected {
                proposal_ids: b.proposal_ids,
                error: CmdError::new(message_key, code),
            },
        },
    };
    Ok(BallotView {
        cycle,
        proposals,
        state,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn ballot(st: State<'_, AppState>, cycle_id: String) -> R<BallotView> {
    let p = profile(&st)?;
    ballot_view(&p, &cycle_id, true)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn results(st: State<'_, AppState>, cycle_id: String) -> R<BallotView> {
    let p = profile(&st)?;
    ballot_view(&p, &cycle_id, true)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn cast_ballot(
    app: AppHandle,
    st: State<'_, AppState>,
    ballot: CastBallot,
) -> R<BallotView> {
    let p = profile(&st)?;
    // The budget and count rules are checked here too (the UI already
    // prevents it): an over-budget ballot is never queued.
    let view = ballot_view(&p, &ballot.cycle_id, true)?;
    if view.cycle.phase != Phase::Voting {
        return Err(CmdError::from_code(
            proto::ErrorCode::VotingClosed,
            "cycle not in voting",
        ));
    }
    let cost: i64 = view
        .proposals
        .iter()
        .filter(|x| ballot.proposal_ids.contains(&x.id))
        .map(|x| x.expert_cost.unwrap_or(x.cost))
        .sum();
    if view.cycle.budget_limited_ballot && cost > view.cycle.budget {
        return Err(CmdError::from_code(
            proto::ErrorCode::OverBudget,
            "over budget",
        ));
    }
    if let Some(max) = view.cycle.max_projects {
        if ballot.proposal_ids.len() as i64 > max {
            return Err(CmdError::from_code(
                proto::ErrorCode::TooManyProjects,
                "too many",
            ));
        }
    }
    p.cast_ballot(&BallotInput {
        cycle_id: ballot.cycle_id.clone(),
        proposal_ids: ballot.proposal_ids,
    })
    .map_err(err)?;
    st.refresh_pending(&app);
    st.kick.notify_one();
    ballot_view(&p, &ballot.cycle_id, true)
}

// ----- appeals and drafts -----

#[tauri::command(rename_all = "snake_case")]
pub async fn appeals(st: State<'_, AppState>) -> R<Vec<AppealItem>> {
    Ok(profile(&st)?
        .appeals()
        .map_err(err)?
        .into_iter()
        .map(appeal_item)
        .collect())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn appeal(st: State<'_, AppState>, id: String) -> R<AppealItem> {
    profile(&st)?.appeal(&id).map(appeal_item).map_err(err)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn addressees(st: State<'_, AppState>) -> R<Vec<Body>> {
    let p = profile(&st)?;
    let all = p.localities().map_err(err)?;
    let mut out = Vec::new();
    for f in p.follows().map_err(err)? {
        let mut cur = Some(f);
        while let Some(code) = cur {
            let l = all.iter().find(|l| l.code == code);
            if let Some(l) = l {
                out.extend(l.bodies.iter().cloned());
            }
            cur = l.and_then(|l| l.parent.clone());
        }
    }
    out.dedup_by(|a, b| a.id == b.id);
    Ok(out)
}

/// Before draft photos were sealed by the core, the shell kept them as plain
/// JPEG files under `<app dir>/photos/<profile>/<draft>/` and listed their
/// paths in the draft. Seals any such file into the profile (as if just
/// added), drops the paths from the draft and deletes the plain files. Runs
/// whenever drafts are listed or opened; a no-op once the folder is gone.
fn migrate_plain_photos(st: &AppState, p: &Profile) {
    // Commands run concurrently: one migration at a time, or a file could
    // be sealed twice.
    static MIGRATING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = MIGRATING.lock().unwrap_or_else(|e| e.into_inner());
    let root = st.dir.join("photos");
    let mine = root.join(p.id());
    if !mine.exists() {
        return;
    }
    // Drafts unreadable now: keep every plain file for the next attempt.
    let Ok(drafts) = p.drafts() else {
        return;
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
            if !path.starts_with(&root) {
                keep.push(path);
                continue;
            }
            let name = path
                .file_name()
                .map(|n| {
                    let n = n.to_string_lossy();
                    n.split_once('-').map_or(n.to_string(), |x| x.1.to_string())
                })
                .unwrap_or_else(|| "photo.jpg".into());
            match std::fs::read(&path) {
                Ok(bytes) => {
                    if let Err(e) = p.add_draft_photo(&d.id, &name, &bytes) {
                        eprintln!("dauys: could not seal a draft photo: {e}");
                        failed = true;
                        keep.push(path);
                    }
                }
                // Already gone: nothing to seal.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    eprintln!("dauys: could not read a draft photo: {e}");
                    failed = true;
                    keep.push(path);
                }
            }
        }
        a.photos = keep;
        if let Err(e) = p.save_draft(Some(&d.id), &DraftContent::Appeal(a)) {
            eprintln!("dauys: could not update a migrated draft: {e}");
            failed = true;
        }
    }
    if !failed {
        let _ = std::fs::remove_dir_all(&mine);
        // Removes `photos/` only when no other profile still has files there.
        let _ = std::fs::remove_dir(&root);
    }
}

fn to_dto(d: dauys_core::Draft) -> Option<AppealDraft> {
    let DraftContent::Appeal(a) = d.content else {
        return None;
    };
    let photos = d
        .photos
        .into_iter()
        .map(|ph| PhotoRef {
            id: ph.id,
            name: ph.name,
            bytes: ph.bytes,
        })
        .collect();
    Some(AppealDraft {
        id: d.id,
        appeal_type: Some(a.appeal_type),
        addressee: a.addressee,
        subject: a.subject,
        body: a.body,
        public: a.public,
        location: a.location,
        photos,
        rejected: d.rejection.map(|r| CmdError::new(r.message_key, r.detail)),
    })
}

/// The draft's content as the core stores it. New photos are not part of
/// it: the core keeps them sealed with the draft (`add_draft_photo`). Plain
/// files an older version listed and the migration could not seal yet are
/// kept, so they are never dropped unsealed.
fn to_input(
    d: &AppealDraft,
    (keep_media, keep_photos): (Vec<String>, Vec<PathBuf>),
) -> AppealInput {
    AppealInput {
        appeal_type: d.appeal_type.unwrap_or(AppealType::Statement),
        addressee: d.addressee.clone(),
        subject: d.subject.clone(),
        body: d.body.clone(),
        public: d.public,
        location: d.location,
        photos: keep_photos,
        media: keep_media,
    }
}

/// What a saved draft holds besides its form fields: queued media ids and
/// plain photo paths from an older version.
fn media_of(p: &Profile, id: &str) -> (Vec<String>, Vec<PathBuf>) {
    match p.draft(id).map(|d| d.content) {
        Ok(DraftContent::Appeal(a)) => (a.media, a.photos),
        _ => (Vec::new(), Vec::new()),
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn appeal_drafts(st: State<'_, AppState>) -> R<Vec<AppealDraft>> {
    let p = profile(&st)?;
    migrate_plain_photos(&st, &p);
    Ok(p.drafts()
        .map_err(err)?
        .into_iter()
        .filter_map(to_dto)
        .collect())
}

/// Opens a draft; without an id, starts a new one (saved at once, so it
/// survives a crash even before the first keystroke is autosaved).
#[tauri::command(rename_all = "snake_case")]
pub async fn appeal_draft(st: State<'_, AppState>, id: Option<String>) -> R<AppealDraft> {
    let p = profile(&st)?;
    migrate_plain_photos(&st, &p);
    if let Some(id) = id {
        let d = p.draft(&id).map_err(err)?;
        return to_dto(d).ok_or_else(|| CmdError::new("error-not-found", "not an appeal draft"));
    }
    let addressee = addressees(st.clone())
        .await?
        .first()
        .map(|b| b.id.clone())
        .unwrap_or_default();
    let content = DraftContent::Appeal(AppealInput {
        appeal_type: AppealType::Statement,
        addressee,
        subject: String::new(),
        body: String::new(),
        public: false,
        location: None,
        photos: Vec::new(),
        media: Vec::new(),
    });
    let id = p.save_draft(None, &content).map_err(err)?;
    let d = p.draft(&id).map_err(err)?;
    to_dto(d).ok_or_else(|| CmdError::new("error-internal", "draft"))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_draft(st: State<'_, AppState>, draft: AppealDraft) -> R<AppealDraft> {
    let p = profile(&st)?;
    let media = media_of(&p, &draft.id);
    let input = to_input(&draft, media);
    p.save_draft(Some(&draft.id), &DraftContent::Appeal(input))
        .map_err(err)?;
    let d = p.draft(&draft.id).map_err(err)?;
    to_dto(d).ok_or_else(|| CmdError::new("error-internal", "draft"))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_photo(st: State<'_, AppState>, photo: AddPhoto) -> R<AppealDraft> {
    let p = profile(&st)?;
    if photo.data.len() as u64 > proto::limits::MAX_MEDIA_BYTES * 3 {
        return Err(CmdError::new("error-payload-too-large", "photo too large"));
    }
    // Downscaled, stripped of EXIF and sealed with the profile's key at
    // once: neither the original nor the JPEG lands on disk in clear.
    p.add_draft_photo(&photo.draft_id, &photo.name, &photo.data)
        .map_err(err)?;
    let d = p.draft(&photo.draft_id).map_err(err)?;
    to_dto(d).ok_or_else(|| CmdError::new("error-not-found", "draft"))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_photo(
    st: State<'_, AppState>,
    draft_id: String,
    photo_id: String,
) -> R<AppealDraft> {
    let p = profile(&st)?;
    p.remove_draft_photo(&draft_id, &photo_id).map_err(err)?;
    let d = p.draft(&draft_id).map_err(err)?;
    to_dto(d).ok_or_else(|| CmdError::new("error-not-found", "draft"))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn submit_appeal(
    app: AppHandle,
    st: State<'_, AppState>,
    draft_id: String,
) -> R<AppealItem> {
    let p = profile(&st)?;
    migrate_plain_photos(&st, &p);
    let op = p.submit_draft(&draft_id).map_err(err)?;
    st.refresh_pending(&app);
    st.kick.notify_one();
    p.appeal(&op.to_string()).map(appeal_item).map_err(err)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn discard_draft(st: State<'_, AppState>, draft_id: String) -> R<()> {
    let p = profile(&st)?;
    p.delete_draft(&draft_id).map_err(err)?;
    Ok(())
}

// ----- map -----

/// The OpenStreetMap page of a point; the only URL the app ever hands to
/// the system browser.
fn osm_url(g: proto::GeoPoint) -> String {
    format!(
        "https://www.openstreetmap.org/?mlat={lat:.6}&mlon={lon:.6}#map=17/{lat:.6}/{lon:.6}",
        lat = g.lat,
        lon = g.lon
    )
}

/// Opens a point on OpenStreetMap in the system browser. The shell builds
/// the URL from the coordinates itself, so the webview cannot open any
/// other address (it has no opener permission) and never navigates away.
#[tauri::command(rename_all = "snake_case")]
pub async fn open_map(app: AppHandle, lat: f64, lon: f64) -> R<()> {
    use tauri_plugin_opener::OpenerExt;
    let g = proto::GeoPoint { lat, lon };
    if !g.is_valid() {
        return Err(CmdError::new("error-invalid-field", "coordinates"));
    }
    app.opener()
        .open_url(osm_url(g), None::<&str>)
        .map_err(|e| CmdError::new("error-internal", e.to_string()))
}

#[cfg(test)]
mod map_tests {
    use super::*;

    #[test]
    fn osm_url_is_openstreetmap_only() {
        let u = osm_url(proto::GeoPoint {
            lat: 52.28733,
            lon: 76.96738,
        });
        assert_eq!(
            u,
            "https://www.openstreetmap.org/?mlat=52.287330&mlon=76.967380#map=17/52.287330/76.967380"
        );
    }
}

// ----- outbox, profiles, sync -----

#[tauri::command(rename_all = "snake_case")]
pub async fn outbox(st: State<'_, AppState>) -> R<Vec<OutboxItem>> {
    let p = profile(&st)?;
    let known = Known {
        cycles: p.cycles(None).map_err(err)?,
        bodies: p
            .localities()
            .map_err(err)?
            .into_iter()
            .flat_map(|l| l.bodies)
            .collect(),
        proposals: p
            .proposals(&dauys_core::ProposalQuery {
                limit: Some(10_000),
                ..Default::default()
            })
            .map_err(err)?,
    };
    let mut items: Vec<OutboxItem> = p
        .outbox()
        .map_err(err)?
        .into_iter()
        .map(|o| {
            let (d, e) = delivery(Some(&o.state));
            let (receipt, draft_id) = match &o.state {
                OpState::Accepted { receipt, .. } => (receipt.clone(), None),
                OpState::Rejected { draft_id, .. } => (None, draft_id.clone()),
                _ => (None, None),
            };
            let (about, summary) = known.describe(&o);
            OutboxItem {
                id: o.id.to_string(),
                cycle_id: o.target.clone().filter(|_| o.kind == "ballot.cast"),
                kind: o.kind,
                summary,
                about,
                delivery: d,
                error: e,
                receipt,
                created_at: o.created_at,
                attempts: o.attempts.max(0) as u32,
                draft_id,
            }
        })
        .collect();
    items.reverse();
    items.truncate(200);
    Ok(items)
}

/// What the outbox can name instead of ids.
struct Known {
    cycles: Vec<proto::Cycle>,
    bodies: Vec<Body>,
    proposals: Vec<proto::Proposal>,
}

impl Known {
    /// An outbox item in words: what it is about and its summary. The core's
    /// summary names a ballot's cycle and projects, and an appeal's
    /// addressee, by id.
    fn describe(&self, o: &dauys_core::OutboxEntry) -> (Option<proto::Localized>, String) {
        let target = o.target.as_deref().unwrap_or_default();
        match o.kind.as_str() {
            "ballot.cast" => {
                let titles: Vec<&str> = self
                    .proposals
                    .iter()
                    .filter(|x| x.cycle_id == target && o.summary.contains(x.id.as_str()))
                    .map(|x| x.title.as_str())
                    .collect();
                let cycle = self.cycles.iter().find(|c| c.id == target);
                (cycle.map(|c| c.title.clone()), titles.join("; "))
            }
            "appeal.submit" => {
                let body = self.bodies.iter().find(|b| b.id == target);
                let subject = o.summary.strip_suffix(&format!(" → {target}"));
                (
                    body.map(|b| b.name.clone()),
                    subject.unwrap_or(&o.summary).to_string(),
                )
            }
            "comment.add" => {
                let title = self.proposals.iter().find(|x| x.id == target);
                let about = title.map(|x| proto::Localized::new(&x.title, &x.title, &x.title));
                (about, o.summary.clone())
            }
            _ => (None, o.summary.clone()),
        }
    }
}

fn op_id(id: &str) -> R<uuid::Uuid> {
    id.parse()
        .map_err(|_| CmdError::new("error-not-found", format!("op {id}")))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn outbox_retry(app: AppHandle, st: State<'_, AppState>, id: String) -> R<()> {
    let p = profile(&st)?;
    p.retry(op_id(&id)?).map_err(err)?;
    st.refresh_pending(&app);
    st.kick.notify_one();
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn outbox_discard(app: AppHandle, st: State<'_, AppState>, id: String) -> R<()> {
    let p = profile(&st)?;
    p.discard(op_id(&id)?).map_err(err)?;
    st.refresh_pending(&app);
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn profiles(st: State<'_, AppState>) -> R<Vec<ProfileInfo>> {
    let active = st.active().map(|p| p.id().to_string());
    Ok(st
        .home()
        .profiles()
        .map_err(err)?
        .into_iter()
        .filter(|i| i.signed_in && !i.kiosk)
        .map(|i| ProfileInfo {
            active: Some(&i.id) == active.as_ref(),
            id: i.id,
            label: i.label,
            locality: None,
        })
        .collect())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn switch_profile(app: AppHandle, st: State<'_, AppState>, id: String) -> R<ProfileInfo> {
    let home = st.home();
    home.switch(&id).map_err(err)?;
    let p = Arc::new(home.open_active().map_err(err)?);
    st.set_active(Some(p.clone()));
    st.refresh_pending(&app);
    st.kick.notify_one();
    Ok(profile_info(&p, true))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sign_out(app: AppHandle, st: State<'_, AppState>) -> R<()> {
    if let Some(p) = st.active() {
        let id = p.id().to_string();
        st.set_active(None);
        drop(p);
        st.home().sign_out(&id).await.map_err(err)?;
    }
    st.update_status(&app, |s| {
        s.pending = 0;
        s.sent = 0;
    });
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now(st: State<'_, AppState>) -> R<()> {
    st.kick.notify_one();
    Ok(())
}
