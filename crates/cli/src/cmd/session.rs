//! Signing in and out, profiles, kiosk housekeeping: the commands that
//! work on the home rather than on one open profile.

use std::io::IsTerminal;

use dauys_core::proto::iin;
use dauys_core::*;

use super::Outcome;
use crate::args::{Cli, ProfileCmd};
use crate::render::{self, print};

/// `login`: without `--code` asks for a code (and reads it from a
/// terminal, or exits for a second run with `--code`); with `--code`
/// verifies it. The flow itself is the core's ([`Home::begin_sign_in`]).
pub async fn login(
    cli: &Cli,
    home: &Home,
    iin_text: &str,
    code: Option<&str>,
    kiosk: bool,
    label: Option<&str>,
) -> Result<Outcome> {
    let s = home.begin_sign_in(&SignInRequest {
        iin: iin_text,
        server: cli.server.as_deref(),
        kiosk,
        label,
    })?;
    let id = s.info().id.clone();
    home.switch(&id)?;
    let code = match code {
        Some(c) => c.to_string(),
        None => {
            let r = s.request_code().await?;
            let hint = r.phone_hint.unwrap_or_else(|| "the phone on file".into());
            if !std::io::stdin().is_terminal() {
                print(
                    cli.json,
                    &serde_json::json!({"profile": id, "code_sent_to": hint}),
                    |_| format!("code sent to {hint}; run again with --code CODE\n"),
                )?;
                return Ok(Outcome::Done);
            }
            eprint!("code sent to {hint}; enter it: ");
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim().to_string()
        }
    };
    let me = s
        .verify(
            home,
            &code,
            &format!("dauys-cli on {}", std::env::consts::OS),
        )
        .await?;
    print(
        cli.json,
        &serde_json::json!({"profile": id, "me": me}),
        |_| {
            format!(
                "signed in as {} ({}), profile {}\n",
                iin::mask(iin_text.trim()),
                me.locality,
                id
            )
        },
    )?;
    Ok(Outcome::Done)
}

pub async fn profile(cli: &Cli, home: &Home, cmd: &ProfileCmd) -> Result<Outcome> {
    match cmd {
        ProfileCmd::List => {
            let active = home.active_id()?;
            let list = home.profiles()?;
            print(
                cli.json,
                &serde_json::json!({"active": active, "profiles": list}),
                |_| render::profiles(active.as_deref(), &list),
            )?;
            Ok(Outcome::Done)
        }
        ProfileCmd::Switch { id } => {
            home.switch(id)?;
            Ok(Outcome::Done)
        }
        ProfileCmd::SignOut => {
            let id = home.active_id()?.ok_or(CoreError::NoActiveProfile)?;
            let o = home.sign_out(&id).await?;
            print(
                cli.json,
                &serde_json::json!({"profile": id, "outcome": o}),
                |_| format!("{o:?}\n"),
            )?;
            Ok(Outcome::queued_if(o == SignOutOutcome::WipeWhenSynced))
        }
        ProfileCmd::Wipe { id } => {
            home.wipe(id)?;
            Ok(Outcome::Done)
        }
    }
}

/// `kiosk tick`: idle sign-out and wipe-after-sync of kiosk profiles.
pub async fn kiosk_tick(cli: &Cli, home: &Home) -> Result<Outcome> {
    let wiped = home.maintain(&SyncOptions::default()).await?;
    let waiting = home
        .profiles()?
        .iter()
        .filter(|p| p.wipe_when_synced)
        .count();
    print(
        cli.json,
        &serde_json::json!({"wiped": wiped, "waiting": waiting}),
        |_| {
            format!(
                "wiped {} profile(s); {waiting} waiting to deliver\n",
                wiped.len()
            )
        },
    )?;
    Ok(Outcome::queued_if(waiting > 0))
}

/// `localities` and `follow`: what the profile mirrors.
pub fn localities(cli: &Cli, p: &Profile) -> Result<Outcome> {
    let l = p.localities()?;
    print(cli.json, &l, |l| render::localities(l))?;
    Ok(Outcome::Done)
}

pub fn follow(p: &Profile, locality: &str) -> Result<Outcome> {
    p.follow(locality)?;
    Ok(Outcome::Done)
}
