//! `dauys-server`: the participation server and its admin commands.

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use dauys_proto::Role;
use dauys_server::{census, open_state, sms};

#[derive(Parser, Debug)]
#[command(name = "dauys-server", version, about = "Dauys participation server")]
struct Cli {
    /// `sqlite:PATH` (default: dauys.db in the data dir) or `postgres://…`.
    #[arg(long, env = "DAUYS_DATABASE", global = true)]
    database: Option<String>,
    /// Directory for the default SQLite database.
    #[arg(long, env = "DAUYS_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// 64 hex digits keying IIN hashes and receipts. Required to serve
    /// (or `--secret-file`), except with `--demo`/`--dev`, where a key is
    /// generated once and kept in the database — where a copy of the
    /// database would also hold the key that reverses its IIN hashes.
    #[arg(long, env = "DAUYS_SECRET", global = true, hide_env_values = true)]
    secret: Option<String>,
    /// A file holding the key (e.g. a mounted secret).
    #[arg(
        long,
        env = "DAUYS_SECRET_FILE",
        global = true,
        conflicts_with = "secret"
    )]
    secret_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(clap::Args, Debug)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "DAUYS_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Seed a sample city, residents, cycles and appeals into an empty database.
    #[arg(long, env = "DAUYS_DEMO")]
    demo: bool,
    /// PEM certificate chain for HTTPS (otherwise plain HTTP behind a TLS proxy).
    #[arg(long, env = "DAUYS_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    #[arg(long, env = "DAUYS_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// The SMS provider that sends one-time codes: `https://…` (see
    /// README, "SMS"). Its API key goes in DAUYS_SMS_TOKEN.
    #[arg(long, env = "DAUYS_SMS_URL")]
    sms_url: Option<String>,
    /// The language of the SMS: kk, ru or en.
    #[arg(long, env = "DAUYS_SMS_LANG", default_value = "kk")]
    sms_lang: String,
    /// Development only: print one-time codes to stdout instead of sending
    /// them, and keep the key in the database (`--demo` does both). Anyone
    /// who reads the output can sign in.
    #[arg(long, env = "DAUYS_DEV")]
    dev: bool,
    /// Behind a reverse proxy: tell clients apart (for sign-in limits) by
    /// the address it appends to X-Forwarded-For. Only with a proxy that
    /// sets it: otherwise clients could choose their own address.
    #[arg(long, env = "DAUYS_TRUST_PROXY")]
    trust_proxy: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the API (the default).
    Serve(ServeArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Manage the census of residents.
    Census {
        #[command(subcommand)]
        cmd: CensusCmd,
    },
    /// Manage users' roles.
    User {
        #[command(subcommand)]
        cmd: UserCmd,
    },
    /// The key of IIN hashes and receipts.
    Secret {
        #[command(subcommand)]
        cmd: SecretCmd,
    },
}

#[derive(Subcommand, Debug)]
enum SecretCmd {
    /// Prints the key this database keeps (from a `--demo`/`--dev` start or
    /// an older server), to move it into DAUYS_SECRET_FILE.
    Show,
}

#[derive(Subcommand, Debug)]
enum CensusCmd {
    /// Import `iin,phone,locality` rows from a CSV file.
    Import { file: PathBuf },
}

#[derive(Subcommand, Debug)]
enum UserCmd {
    /// Grant ROLE (citizen, moderator, expert, official, admin) to the resident with IIN.
    Grant {
        role: String,
        iin: String,
        /// Limit the role to this locality (and all under it).
        locality: Option<String>,
        /// An official of one department: only the appeals addressed to
        /// this body (its id, e.g. `pvl-housing`).
        #[arg(long)]
        body: Option<String>,
    },
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let database = cli
        .database
        .clone()
        .unwrap_or_else(|| format!("sqlite:{}", cli.data_dir.join("dauys.db").display()));
    let serving = match &cli.command {
        None => Some(&cli.serve),
        Some(Command::Serve(args)) => Some(args),
        Some(_) => None,
    };
    let gateway = match serving {
        Some(args) => sms_gateway(args)?,
        None => Arc::new(sms::NoGateway),
    };
    let secret = match &cli.secret_file {
        Some(f) => Some(
            std::fs::read_to_string(f)
                .map_err(|e| format!("--secret-file {}: {e}", f.display()))?,
        ),
        None => cli.secret.clone(),
    };
    if secret.is_none() && serving.is_some_and(|a| !(a.demo || a.dev)) {
        return Err(
            "no key: set DAUYS_SECRET or DAUYS_SECRET_FILE (64 hex digits, kept outside \
                    the database; `dauys-server secret show` prints one a database already keeps); \
                    --demo or --dev keep it in the database instead (development only)"
                .into(),
        );
    }
    let st = open_state(&database, secret.as_deref(), gateway)?;
    let mut c = st.pool.get()?;
    match cli.command {
        Some(Command::Migrate) => {
            println!("database is up to date");
            Ok(())
        }
        Some(Command::Census {
            cmd: CensusCmd::Import { file },
        }) => {
            let f = std::fs::File::open(&file)?;
            let r = census::import_csv(&st, &mut *c, f)?;
            println!(
                "added {}, updated {}, skipped {}",
                r.added,
                r.updated,
                r.skipped.len()
            );
            for s in &r.skipped {
                println!("  line {}: {} ({})", s.line, s.detail, s.iin);
            }
            if r.skipped.is_empty() {
                Ok(())
            } else {
                Err("some rows were not imported".into())
            }
        }
        Some(Command::User {
            cmd:
                UserCmd::Grant {
                    role,
                    iin,
                    locality,
                    body,
                },
        }) => {
            let role = Role::parse(&role).ok_or("unknown role")?;
            let place = census::GrantPlace::new(locality.as_deref(), body.as_deref());
            census::grant(&st, &mut *c, role, &iin, place)?;
            println!("granted {} to {iin}", role.as_str());
            Ok(())
        }
        Some(Command::Secret {
            cmd: SecretCmd::Show,
        }) => {
            println!("{}", dauys_proto::hex(st.secret.as_slice()));
            Ok(())
        }
        Some(Command::Serve(args)) => serve(st, c, args),
        None => serve(st, c, cli.serve),
    }
}

/// A real provider when one is configured; the log only when asked for
/// (`--demo`, `--dev`): codes in a log let its readers sign in as
/// anyone, so a server with neither refuses to start.
fn sms_gateway(args: &ServeArgs) -> Result<Arc<dyn sms::SmsGateway>, Box<dyn std::error::Error>> {
    if let Some(url) = &args.sms_url {
        let lang = dauys_server::console::i18n::Lang::parse(&args.sms_lang)
            .ok_or("--sms-lang: expected kk, ru or en")?;
        let token = std::env::var("DAUYS_SMS_TOKEN")
            .ok()
            .filter(|t| !t.is_empty());
        let cfg = sms::HttpConfig::new(url.clone(), token, lang);
        return Ok(Arc::new(sms::HttpGateway::start(cfg)?));
    }
    if args.demo || args.dev {
        tracing::warn!("one-time codes are printed, not sent (--demo / --dev): not for production");
        return Ok(Arc::new(sms::LogGateway));
    }
    Err(
        "no SMS gateway: set --sms-url (DAUYS_SMS_URL) to your provider, see README \"SMS\"; \
         --demo or --dev print codes instead (development only)"
            .into(),
    )
}

fn serve(
    st: dauys_server::state::AppState,
    mut c: dauys_server::db::PooledConn,
    args: ServeArgs,
) -> Result<(), Box<dyn std::error::Error>> {
    if args.demo {
        seed_demo(&st, &mut *c)?;
    }
    drop(c);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut st = st;
    if args.tls_cert.is_some() {
        std::sync::Arc::make_mut(&mut st.config).secure_cookies = true;
    }
    std::sync::Arc::make_mut(&mut st.config).trust_proxy = args.trust_proxy;
    rt.block_on(async move {
        // Housekeeping: unfinished uploads are deleted hourly (and at start);
        // SMS a stopped server had queued but not handed over go out at start
        // and then hourly.
        let keeper = st.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                every.tick().await;
                let _ = dauys_server::http::blocking(&keeper, |st, c| {
                    dauys_server::components::appeals::notify::flush(st, c)
                })
                .await;
                let _ = dauys_server::http::blocking(&keeper, |st, c| {
                    dauys_server::kernel::uploads::forget_unfinished(c, st.clock.now_ms())
                })
                .await;
            }
        });
        let app = dauys_server::http::router(st);
        let addr: std::net::SocketAddr = args.listen.parse()?;
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        match (args.tls_cert, args.tls_key) {
            (Some(cert), Some(key)) => {
                let _ = rustls::crypto::ring::default_provider().install_default();
                let config =
                    axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key).await?;
                let handle = axum_server::Handle::new();
                let h2 = handle.clone();
                tokio::spawn(async move {
                    shutdown.await;
                    h2.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
                });
                println!("listening on https://{addr}");
                axum_server::bind_rustls(addr, config)
                    .handle(handle)
                    .serve(app.into_make_service_with_connect_info::<std::net::SocketAddr>())
                    .await?;
            }
            _ => {
                let listener = tokio::net::TcpListener::bind(addr).await?;
                println!("listening on http://{}", listener.local_addr()?);
                axum::serve(
                    dauys_server::nodelay(listener),
                    app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
                )
                .with_graceful_shutdown(shutdown)
                .await?;
            }
        }
        Ok::<(), Box<dyn std::error::Error>>(())
    })
}

/// Seeds the sample data and prints its census (the sign-in cheat sheet).
#[cfg(feature = "demo")]
fn seed_demo(
    st: &dauys_server::state::AppState,
    c: &mut dyn dauys_server::db::Conn,
) -> Result<(), Box<dyn std::error::Error>> {
    use dauys_server::demo;
    if demo::seed_if_empty(st, c)? {
        println!("demo data seeded");
    } else {
        println!("demo: database already has data; kept as is");
    }
    demo::print_people();
    Ok(())
}

/// A production build without the sample data refuses `--demo` loudly.
#[cfg(not(feature = "demo"))]
fn seed_demo(
    _: &dauys_server::state::AppState,
    _: &mut dyn dauys_server::db::Conn,
) -> Result<(), Box<dyn std::error::Error>> {
    Err("--demo: this server was built without the `demo` feature".into())
}
