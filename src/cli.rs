//! The command line: `serve` (the default) and `migrate`; admin commands
//! (keys, operators, purges) join here as their domains arrive.
use crate::app::build_router;
use crate::config::{Config, LogFormat};
use crate::kernel::AppState;
use crate::kernel::CodiceFiscale;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "servizi-lavoro",
    version,
    about = "Servizi Lavoro: the Ministry of Labour's digital services portal",
    long_about = "Servizi Lavoro: the Ministry of Labour's digital services portal.\n\n\
        Settings come from built-in defaults, then the TOML file given with --config (or SL_CONFIG), \
        then environment variables: SL_ENV (development|production), SL_ADDR (listen address, \
        default 127.0.0.1:3000), SL_BASE_URL (public URL, default http://localhost:3000), \
        SL_DATA_DIR (default data/), SL_DATABASE_URL (a postgres:// URL, or a SQLite file; \
        default data/servizi-lavoro.db), SL_DB_POOL_SIZE, SL_LOG_FORMAT (text|json), \
        SL_REQUEST_TIMEOUT_SECS, SL_BODY_LIMIT_BYTES, SL_SESSION_IDLE_MINUTES, SL_SESSION_MAX_HOURS, SL_DEMO_DATA, SL_SP_KEY, SL_SP_CERT."
)]
pub struct Cli {
    /// A TOML configuration file (keys as the SL_ variables, in lower case, without the prefix).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Service-provider keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// SAML maintenance.
    #[command(subcommand)]
    Saml(SamlCommand),
    /// The OpenID Connect federations.
    #[command(subcommand)]
    Oidc(OidcCommand),
    /// Helpdesk operators (they sign in with SPID or CIE).
    #[command(subcommand)]
    Operators(OperatorsCommand),
    /// Load data from the national registries' exports.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Ispettorato officers, who consult the Dimissioni modules of their province.
    #[command(subcommand)]
    Itl(ItlCommand),
    /// Dimissioni volontarie: checks on the modules sent.
    #[command(subcommand)]
    Dimissioni(DimissioniCommand),
    /// A consistent copy of the SQLite database, taken while the portal runs
    /// (for PostgreSQL use pg_dump; see the README).
    Backup { file: PathBuf },
    /// The outbox of messages: what waits, and sending what is due now.
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Interruptions of a service: its page announces them, entering it
    /// answers 503 while one is in force, `/stato-servizi` keeps the record.
    /// Times are Italian ("2026-12-03 18:00").
    #[command(subcommand)]
    Outage(OutageCommand),
    /// Development only: data to try and measure the portal with.
    #[command(subcommand)]
    Demo(DemoCommand),
}

#[derive(Subcommand, Debug)]
pub enum DemoCommand {
    /// Every list at national size, to measure with (development only):
    /// `--clients` people each give Luca Verdi (demo IdP) a delega, and his
    /// studio gets `--operators` operatori; Giulia Bianchi's company
    /// (Bianchi Servizi srl) gets `--modules` Dimissioni modules, gives
    /// `--deleghe` deleghe, and has `--activity` rows of activity.
    Scale {
        #[arg(long, default_value_t = 2000)]
        clients: usize,
        #[arg(long, default_value_t = 20)]
        operators: usize,
        #[arg(long, default_value_t = 50_000)]
        modules: usize,
        #[arg(long, default_value_t = 10_000)]
        deleghe: usize,
        #[arg(long, default_value_t = 1_000_000)]
        activity: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum OutageCommand {
    /// A failure found now: the service is interrupted from this moment.
    Start {
        /// The service, by its catalog name (`dimissioni-volontarie`).
        service: String,
        /// When it is expected back, if known.
        #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
        until: Option<String>,
        /// What the Ministry says of it (Italian; English with --note-en).
        #[arg(long)]
        note_it: Option<String>,
        #[arg(long)]
        note_en: Option<String>,
    },
    /// Planned maintenance, announced on the service's page 14 days ahead.
    Plan {
        service: String,
        #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
        from: String,
        #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
        until: String,
        #[arg(long)]
        note_it: Option<String>,
        #[arg(long)]
        note_en: Option<String>,
    },
    /// The service is back: ends what is in force and calls off what is planned.
    End { service: String },
    /// Interruptions in force, planned and of the past year.
    List,
}

#[derive(Subcommand, Debug)]
pub enum OutboxCommand {
    /// How many messages wait, have failed for good, and how old the oldest waiting one is.
    Status,
    /// Sends every message due now (as the instances' workers do), and says
    /// how many and how long it took: after an SMTP outage, or to measure.
    Drain,
}

#[derive(Subcommand, Debug)]
pub enum ItlCommand {
    /// Make a codice fiscale an officer of an office (its code, as loaded by `import itl`).
    Add { codice_fiscale: String, ufficio: String },
    /// Take the role away.
    Remove { codice_fiscale: String },
}

#[derive(Subcommand, Debug)]
pub enum DimissioniCommand {
    /// Checks the whole seal chain: each module's hash, its link to the one
    /// before and the portal's signature. Exits non-zero at the first break.
    Verify,
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// The company registry: `;`-separated CSV with the header
    /// codice_fiscale;partita_iva;denominazione;pec;sede;legali_rappresentanti
    /// (representatives' codici fiscali separated by spaces). Bad rows are
    /// reported and skipped; importing again replaces each company whole.
    #[command(name = "registro-imprese")]
    RegistroImprese { file: PathBuf },
    /// Profiles and activity from the old portal (ClicLavoro): `;`-separated
    /// CSV with the header
    /// codice_fiscale;organizzazione_codice_fiscale;denominazione;tipo;ruolo;dal;attivita_data;attivita.
    /// People find them at their first sign-in with SPID or CIE. Bad rows are
    /// reported and skipped; importing again adds only what is new.
    #[command(name = "cliclavoro")]
    Cliclavoro { file: PathBuf },
    /// Employment relationships from the Comunicazioni Obbligatorie: `;`-separated
    /// CSV with the header codice_fiscale_lavoratore;codice_fiscale_datore;
    /// denominazione_datore;indirizzo_sede;comune_sede;cap_sede;provincia_sede;
    /// data_inizio;tipologia_contrattuale;data_fine;email_datore;pec_datore.
    #[command(name = "rapporti")]
    Rapporti { file: PathBuf },
    /// The Ispettorato's offices: `;`-separated CSV with the header
    /// codice;denominazione;province;pec;invio (provinces separated by
    /// commas; invio `pec` or `consultazione`). All or nothing: every problem
    /// is reported and nothing changes; importing again replaces them all.
    Itl { file: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum OperatorsCommand {
    /// Give the operator role to a codice fiscale.
    Add { codice_fiscale: String },
    /// Take the operator role away.
    Remove { codice_fiscale: String },
}

#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Write a new key and a self-signed certificate with the Avviso SPID n.29 v3
    /// fields (for development, and as the basis of the CSR in production).
    Generate {
        /// Where to write the private key (PEM); default: SL_SP_KEY.
        #[arg(long)]
        key: Option<PathBuf>,
        /// Where to write the certificate (PEM); default: SL_SP_CERT.
        #[arg(long)]
        cert: Option<PathBuf>,
        /// Validity in days.
        #[arg(long, default_value_t = 730)]
        days: u32,
        /// Replace existing files.
        #[arg(long)]
        force: bool,
        /// Write instead the three keys of the OpenID Connect federations
        /// (RSA, PEM): SL_OIDC_FEDERATION_KEY, SL_OIDC_SIGNING_KEY and
        /// SL_OIDC_ENCRYPTION_KEY.
        #[arg(long, conflicts_with_all = ["key", "cert"])]
        oidc: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum OidcCommand {
    /// Find and check an OpenID Provider's trust chain to a trust anchor of
    /// SL_OIDC_TRUST_ANCHORS, as a sign-in will: prints its metadata after
    /// the federation's policies and until when the chain holds, or why not.
    Resolve {
        /// The provider's entity identifier (`https://id.example.it`).
        provider: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum SamlCommand {
    /// Delete SAML register entries older than 24 months.
    PurgeRegister,
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// Runs the command. `listening` is called once the server is ready to take
/// connections (the binary hands its allocator what start-up no longer needs).
pub async fn run(cli: Cli, listening: fn()) -> ExitCode {
    let config = match Config::load(cli.config.as_deref(), &crate::config::ProcessEnv) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("servizi-lavoro: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(config.log_format);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config, listening).await,
        Command::Migrate => migrate(config).await,
        Command::Keys(KeysCommand::Generate { oidc: true, force, .. }) => generate_oidc_keys(&config, force),
        Command::Keys(KeysCommand::Generate { key, cert, days, force, oidc: false }) => generate_keys(
            &config,
            key.unwrap_or(config.sp_key.clone()),
            cert.unwrap_or(config.sp_cert.clone()),
            days,
            force,
        ),
        Command::Saml(SamlCommand::PurgeRegister) => purge_register(config).await,
        Command::Oidc(OidcCommand::Resolve { provider }) => resolve_provider(config, provider).await,
        Command::Operators(cmd) => operators(config, cmd).await,
        Command::Itl(cmd) => itl(config, cmd).await,
        Command::Backup { file } => backup(config, file).await,
        Command::Dimissioni(DimissioniCommand::Verify) => verify_dimissioni(config).await,
        Command::Outbox(cmd) => outbox(config, cmd).await,
        Command::Outage(cmd) => outage(config, cmd).await,
        Command::Demo(DemoCommand::Scale { clients, operators, modules, deleghe, activity }) => {
            demo_scale(config, Scale { clients, operators, modules, deleghe, activity }).await
        }
        Command::Import(ImportCommand::Rapporti { file }) => import_rapporti(config, file).await,
        Command::Import(ImportCommand::Itl { file }) => import_itl(config, file).await,
        Command::Import(ImportCommand::RegistroImprese { file }) => import_registry(config, file).await,
        Command::Import(ImportCommand::Cliclavoro { file }) => import_cliclavoro(config, file).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("servizi-lavoro: {e}");
            ExitCode::FAILURE
        }
    }
}

type CliResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// An import that rejected rows exits non-zero (the good rows are in), so a
/// script or an operator cannot miss the lines it reported.
fn rejected_rows(n: usize) -> CliResult {
    match n {
        0 => Ok(()),
        n => Err(format!("{n} rows rejected: see the lines above, correct them and import again").into()),
    }
}

/// The work groups `demo scale` shares the studio's clients in.
const GROUPS: usize = 10;

/// How much `demo scale` loads.
struct Scale {
    clients: usize,
    operators: usize,
    modules: usize,
    deleghe: usize,
    activity: i64,
}

async fn demo_scale(config: Config, scale: Scale) -> CliResult {
    if config.is_production() {
        return Err("demo scale is for development only (SL_ENV=development)".into());
    }
    let url = config.database_url.clone();
    let pool = tokio::task::spawn_blocking(move || crate::db::connect(&url, 2)).await??;
    let person = |key: &str| crate::auth::demo_idp::people::find(key).ok_or(format!("no demo person {key}"));
    let (luca, giulia) = (person("luca")?, person("giulia")?);
    let luca_cf = luca.codice_fiscale().ok_or("no demo consultant")?;
    let giulia_cf = giulia.codice_fiscale().ok_or("no demo company referent")?;
    let (giulia_given, giulia_family, giulia_email) = (giulia.given_name, giulia.family_name, giulia.email);
    let now = crate::kernel::Clock::system().now();
    let sp = crate::saml::keys::KeyPair::load(&config.sp_key, &config.sp_cert)?;
    let keys = std::sync::Arc::new(crate::keyring::Keyring::from_config(&config, &sp)?);
    let timed =
        |what: String, started: std::time::Instant| println!("{what}, in {:.1} s", started.elapsed().as_secs_f64());

    let started = std::time::Instant::now();
    let (clients, operators) = (scale.clients, scale.operators);
    let (luca_given, luca_family, luca_email) = (luca.given_name, luca.family_name, luca.email);
    let anna = person("anna")?;
    let anna_cf = anna.codice_fiscale().ok_or("no demo operatore")?;
    let (anna_given, anna_family, anna_email) = (anna.given_name, anna.family_name, anna.email);
    crate::db::with_conn(&pool, move |c| {
        let who = crate::profiles::demo::DemoPerson {
            codice_fiscale: &luca_cf,
            given_name: luca_given,
            family_name: luca_family,
            email: luca_email,
        };
        let studio = crate::profiles::demo::seed(c, &who, now)?;
        crate::delegations::scale::load_clients(c, &luca_cf, Some(studio), clients, now)?;
        crate::profiles::demo::add_operators(c, studio, operators, now)?;
        // Anna Esposito, who can sign in, shares the first group's clients.
        let anna = crate::profiles::demo::DemoPerson {
            codice_fiscale: &anna_cf,
            given_name: anna_given,
            family_name: anna_family,
            email: anna_email,
        };
        let membership = crate::profiles::demo::add_operator(c, studio, &anna, now)?;
        crate::delegations::scale::share_clients(c, studio, GROUPS, Some(membership), now)
    })
    .await?;
    timed(
        format!(
            "{clients} clients with a delega to Luca Verdi's studio, {operators} operatori and Anna Esposito in {GROUPS} work groups"
        ),
        started,
    );

    let started = std::time::Instant::now();
    let (org, giulia_id) = crate::db::with_conn(&pool, move |c| {
        let who = crate::profiles::demo::DemoPerson {
            codice_fiscale: &giulia_cf,
            given_name: giulia_given,
            family_name: giulia_family,
            email: giulia_email,
        };
        crate::profiles::demo::seed_company(c, &who, &demo_company(), now)
    })
    .await?;
    let (modules, deleghe, activity) = (scale.modules, scale.deleghe, scale.activity);
    crate::db::with_conn(&pool, move |c| {
        let company = demo_company();
        let employer =
            crate::dimissioni::scale::Employer { codice_fiscale: &company.codice_fiscale, name: &company.name };
        crate::dimissioni::scale::load_modules(c, &keys, &employer, giulia_id, modules, now)
    })
    .await?;
    timed(format!("{modules} Dimissioni modules for Bianchi Servizi srl"), started);
    let started = std::time::Instant::now();
    crate::db::with_conn(&pool, move |c| {
        crate::delegations::scale::load_company_deleghe(c, giulia_id, org, deleghe, now)
    })
    .await?;
    timed(format!("{deleghe} deleghe given by Bianchi Servizi srl"), started);
    let started = std::time::Instant::now();
    crate::db::with_conn(&pool, move |c| crate::access::scale::load_activity(c, org, giulia_id, activity, now)).await?;
    timed(format!("{activity} rows of Bianchi Servizi srl's activity (organisation {org})"), started);
    Ok(())
}

/// The demo registry's company, as associating it would put it on the portal.
fn demo_company() -> crate::identity::organisations::NewOrganisation {
    crate::identity::organisations::NewOrganisation {
        kind: Some(crate::identity::organisations::OrganisationKind::Impresa),
        codice_fiscale: "01234567897".into(),
        name: "Bianchi Servizi srl".into(),
        pec: "bianchiservizi@pec.example.it".into(),
        seat: "Via Roma 1, 00100 Roma (RM)".into(),
        ordine: None,
        albo_number: None,
    }
}

async fn migrate(config: Config) -> CliResult {
    let url = config.database_url.clone();
    // `connect` applies the migrations.
    tokio::task::spawn_blocking(move || crate::db::connect(&url, 1)).await??;
    println!("database is up to date");
    Ok(())
}

fn generate_keys(config: &Config, key: PathBuf, cert: PathBuf, days: u32, force: bool) -> CliResult {
    if !force && (key.exists() || cert.exists()) {
        return Err(format!("{} or {} exists; use --force to replace", key.display(), cert.display()).into());
    }
    let mut subject = crate::saml::sp_subject(config);
    subject.days = days;
    let pair = crate::saml::keys::generate(&subject)?;
    pair.write(&key, &cert)?;
    println!("wrote {} and {}", key.display(), cert.display());
    Ok(())
}

fn generate_oidc_keys(config: &Config, force: bool) -> CliResult {
    let o = &config.oidc;
    let paths = [&o.federation_key, &o.signing_key, &o.encryption_key];
    if let Some(existing) = paths.iter().find(|p| p.exists()).filter(|_| !force) {
        return Err(format!("{} exists; use --force to replace", existing.display()).into());
    }
    for path in paths {
        crate::oidc::keys::write_new(path)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

async fn resolve_provider(config: Config, provider: String) -> CliResult {
    let now = crate::kernel::Clock::system().now().and_utc().timestamp();
    let federation = crate::oidc::Federation::from_config(&config, now)?;
    let https_only = config.is_production();
    let (resolved, marks) = tokio::task::spawn_blocking(move || {
        let trust = crate::oidc::discovery::Trust {
            anchors: &federation.anchors,
            required_marks: &federation.provider_marks,
            https_only,
        };
        crate::oidc::discovery::resolve(trust, &provider, "openid_provider", now)
    })
    .await??;
    let until = chrono::DateTime::from_timestamp(resolved.expires_at, 0).map(|t| t.to_rfc3339()).unwrap_or_default();
    println!("{} trusted through {} until {until}", resolved.subject, resolved.anchor);
    for mark in marks {
        println!("trust mark {} issued by {}", mark.id, mark.issuer);
    }
    println!("{}", serde_json::to_string_pretty(&resolved.metadata)?);
    Ok(())
}

async fn purge_register(config: Config) -> CliResult {
    let url = config.database_url.clone();
    let n = tokio::task::spawn_blocking(move || -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
        let pool = crate::db::connect(&url, 1)?;
        let mut conn = pool.get()?;
        Ok(crate::auth::sso::register::purge(&mut conn, crate::kernel::Clock::system().now())?)
    })
    .await??;
    println!("deleted {n} SAML register entries older than 24 months");
    Ok(())
}

async fn backup(config: Config, file: PathBuf) -> CliResult {
    let url = config.database_url.clone();
    let target = file.clone();
    tokio::task::spawn_blocking(move || -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let pool = crate::db::connect(&url, 1)?;
        let mut conn = pool.get()?;
        crate::db::backup(&mut conn, &target)?;
        Ok(())
    })
    .await??;
    println!("backup written to {}", file.display());
    Ok(())
}

async fn itl(config: Config, cmd: ItlCommand) -> CliResult {
    let url = config.database_url.clone();
    let (cf, office) = match &cmd {
        ItlCommand::Add { codice_fiscale, ufficio } => (codice_fiscale.clone(), Some(ufficio.to_ascii_uppercase())),
        ItlCommand::Remove { codice_fiscale } => (codice_fiscale.clone(), None),
    };
    let cf =
        CodiceFiscale::parse(&cf).map(String::from).ok_or_else(|| format!("{cf:?} is not a valid codice fiscale"))?;
    let (c2, o2) = (cf.clone(), office.clone());
    let done =
        tokio::task::spawn_blocking(move || -> Result<Option<String>, Box<dyn std::error::Error + Send + Sync>> {
            let pool = crate::db::connect(&url, 1)?;
            let mut conn = pool.get()?;
            match o2 {
                Some(code) => {
                    let Some(office) = crate::dimissioni::itl::by_code(&mut conn, &code)? else {
                        return Err(format!("{code:?} is no office: load them with `import itl`").into());
                    };
                    let now = crate::kernel::Clock::system().now();
                    crate::identity::roles::add_itl(&mut conn, &c2, &office.code, now)?;
                    let provinces = crate::dimissioni::itl::provinces_of(&mut conn, &office.code)?;
                    Ok(Some(format!("{} ({})", office.name, provinces.join(", "))))
                }
                None => {
                    crate::identity::roles::remove_itl(&mut conn, &c2, crate::kernel::Clock::system().now())?;
                    Ok(None)
                }
            }
        })
        .await??;
    match done {
        Some(office) => println!("{cf} is an officer of {office}"),
        None => println!("{cf} is not an Ispettorato officer"),
    }
    Ok(())
}

async fn verify_dimissioni(config: Config) -> CliResult {
    let url = config.database_url.clone();
    // The modules are sealed with the seal key (its retired certificates kept);
    // those of seal version 1 with the service provider's.
    let sp = crate::saml::keys::KeyPair::load(&config.sp_key, &config.sp_cert)?;
    let keys = crate::keyring::Keyring::from_config(&config, &sp)?;
    // Their time-stamps, against the authority's roots (when modules are stamped).
    let roots = crate::dimissioni::timestamp::roots(&config)?;
    let data_dir = config.data_dir.clone();
    let result = tokio::task::spawn_blocking(move || -> Result<_, Box<dyn std::error::Error + Send + Sync>> {
        let pool = crate::db::connect(&url, 1)?;
        let mut conn = pool.get()?;
        let mut chain = crate::dimissioni::chain::verify(&mut conn, &keys)?;
        // Then against every checkpoint, in the database and in the log beside it.
        if let Ok(n) = chain {
            let modules = crate::dimissioni::modulo::chain(&mut conn)?;
            let log = crate::dimissioni::checkpoint::log_path(&data_dir);
            chain = crate::dimissioni::checkpoint::verify(&mut conn, &keys, &modules, Some(&log))?.map(|points| {
                println!("dimissioni: {points} checkpoints hold");
                n
            });
        }
        let stamps = match (&chain, &roots) {
            (Ok(_), Some(roots)) => Some(crate::dimissioni::timestamp::verify(&mut conn, roots)?),
            _ => None,
        };
        Ok((chain, stamps))
    })
    .await??;
    let broken = |b: crate::dimissioni::chain::Broken| format!("dimissioni: module {} is broken: {}", b.code, b.why);
    match result {
        (Ok(n), stamps) => {
            println!("dimissioni: the seal chain holds ({n} modules checked)");
            match stamps {
                Some(Ok(r)) => {
                    println!("dimissioni: {} time-stamp tokens verify", r.stamped);
                    if !r.unstamped.is_empty() {
                        println!("dimissioni: not yet time-stamped: {}", r.unstamped.join(", "));
                    }
                }
                Some(Err(b)) => return Err(broken(b).into()),
                None => println!("dimissioni: time-stamps not checked (no SL_TSA_CA)"),
            }
            Ok(())
        }
        (Err(b), _) => Err(broken(b).into()),
    }
}

async fn outbox(config: Config, cmd: OutboxCommand) -> CliResult {
    let pool = crate::db::connect(&config.database_url, 4)?;
    let clock = crate::kernel::Clock::system();
    match cmd {
        OutboxCommand::Status => {
            let s = crate::db::with_conn(&pool, crate::mail::outbox::status).await?;
            let oldest = s.oldest_pending.map(|o| (clock.now() - o).num_seconds().max(0));
            println!(
                "outbox: {} pending (oldest {} s), {} sent, {} failed for good",
                s.pending,
                oldest.map_or("-".to_string(), |o| o.to_string()),
                s.sent,
                s.failed
            );
        }
        OutboxCommand::Drain => {
            let mailer = crate::mail::Mailer::from_config(&config)?;
            let started = std::time::Instant::now();
            let mut total = crate::mail::outbox::Pass::default();
            loop {
                let pass = crate::mail::outbox::deliver_due(&pool, &mailer, clock.now()).await?;
                total.sent += pass.sent;
                total.retrying += pass.retrying;
                total.failed += pass.failed;
                if pass == crate::mail::outbox::Pass::default() {
                    break;
                }
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "outbox: {} sent, {} to retry, {} failed for good, in {secs:.2} s ({:.0} messages/s)",
                total.sent,
                total.retrying,
                total.failed,
                total.sent as f64 / secs.max(1e-9)
            );
        }
    }
    Ok(())
}

async fn import_rapporti(config: Config, file: PathBuf) -> CliResult {
    let url = config.database_url.clone();
    let report = tokio::task::spawn_blocking(move || -> Result<_, Box<dyn std::error::Error + Send + Sync>> {
        let input = std::fs::File::open(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let pool = crate::db::connect(&url, 1)?;
        let mut conn = pool.get()?;
        Ok(crate::dimissioni::rapporti::import(&mut conn, input)?)
    })
    .await??;
    for (line, why) in &report.rejected {
        eprintln!("line {line}: {why}");
    }
    println!("rapporti: {} added, {} updated, {} rows rejected", report.added, report.updated, report.rejected.len());
    rejected_rows(report.rejected.len())
}

async fn import_itl(config: Config, file: PathBuf) -> CliResult {
    let url = config.database_url.clone();
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let now = crate::kernel::Clock::system().now();
    let result = tokio::task::spawn_blocking(move || -> Result<_, Box<dyn std::error::Error + Send + Sync>> {
        let pool = crate::db::connect(&url, 1)?;
        let mut conn = pool.get()?;
        Ok(crate::dimissioni::itl::import(&mut conn, &text, now)?)
    })
    .await??;
    match result {
        Ok(n) => {
            println!("itl: {n} offices loaded (the earlier ones replaced)");
            Ok(())
        }
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            Err(format!("itl: {} problems, nothing changed", problems.len()).into())
        }
    }
}

async fn import_cliclavoro(config: Config, file: PathBuf) -> CliResult {
    let url = config.database_url.clone();
    let report = tokio::task::spawn_blocking(move || -> Result<_, Box<dyn std::error::Error + Send + Sync>> {
        let input = std::fs::File::open(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let pool = crate::db::connect(&url, 1)?;
        let mut conn = pool.get()?;
        Ok(crate::identity::legacy::import(&mut conn, input)?)
    })
    .await??;
    for (line, why) in &report.rejected {
        eprintln!("line {line}: {why}");
    }
    println!(
        "cliclavoro: {} profiles and {} past actions added, {} rows rejected",
        report.profiles,
        report.activities,
        report.rejected.len()
    );
    rejected_rows(report.rejected.len())
}

async fn import_registry(config: Config, file: PathBuf) -> CliResult {
    let url = config.database_url.clone();
    let report = tokio::task::spawn_blocking(move || -> Result<_, Box<dyn std::error::Error + Send + Sync>> {
        let input = std::fs::File::open(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let pool = crate::db::connect(&url, 1)?;
        let mut conn = pool.get()?;
        Ok(crate::registry::import::registro_imprese(&mut conn, input, crate::kernel::Clock::system().now())?)
    })
    .await??;
    for (line, why) in &report.rejected {
        eprintln!("line {line}: {why}");
    }
    println!(
        "registro imprese: {} added, {} updated, {} rows rejected, {} legali rappresentanti no longer named",
        report.added,
        report.updated,
        report.rejected.len(),
        report.ended
    );
    rejected_rows(report.rejected.len())
}

async fn operators(config: Config, cmd: OperatorsCommand) -> CliResult {
    let (cf, add) = match cmd {
        OperatorsCommand::Add { codice_fiscale } => (codice_fiscale, true),
        OperatorsCommand::Remove { codice_fiscale } => (codice_fiscale, false),
    };
    let cf =
        CodiceFiscale::parse(&cf).map(String::from).ok_or_else(|| format!("{cf:?} is not a valid codice fiscale"))?;
    let url = config.database_url.clone();
    let c2 = cf.clone();
    let changed = tokio::task::spawn_blocking(move || -> Result<bool, Box<dyn std::error::Error + Send + Sync>> {
        let pool = crate::db::connect(&url, 1)?;
        let mut conn = pool.get()?;
        let now = crate::kernel::Clock::system().now();
        Ok(if add {
            crate::identity::roles::add(&mut conn, &c2, now)?
        } else {
            crate::identity::roles::remove(&mut conn, &c2, now)?
        })
    })
    .await??;
    match (add, changed) {
        (true, true) => println!("{cf} is now a helpdesk operator"),
        (true, false) => println!("{cf} was already a helpdesk operator"),
        (false, true) => println!("{cf} is no longer a helpdesk operator"),
        (false, false) => println!("{cf} was not a helpdesk operator"),
    }
    Ok(())
}

async fn serve(config: Config, listening: fn()) -> CliResult {
    let (url, size) = (config.database_url.clone(), config.db_pool_size);
    let pool = tokio::task::spawn_blocking(move || crate::db::connect(&url, size)).await??;
    if config.demo_data {
        crate::foreign::demo::seed(&pool).await?;
        let now = crate::kernel::Clock::system().now();
        // The example Ispettorato offices (Milano's covers the demo workplace).
        crate::db::with_conn(&pool, move |c| crate::dimissioni::itl::seed_demo(c, now)).await?;
        // Giulia Bianchi (demo IdP) is legale rappresentante of a demo company.
        if let Some(giulia) = crate::auth::demo_idp::people::find("giulia").and_then(|p| p.codice_fiscale()) {
            crate::db::with_conn(&pool, move |c| crate::registry::seed_demo(c, &giulia, now)).await?;
        }
        // Mario Rossi (demo IdP) works for Giulia Bianchi's demo company.
        if let Some(mario) = crate::auth::demo_idp::people::find("mario").and_then(|p| p.codice_fiscale()) {
            crate::db::with_conn(&pool, move |c| crate::dimissioni::rapporti::seed_demo(c, &mario)).await?;
        }
        // Luca Verdi (demo IdP) is a validated consulente del lavoro.
        if let Some(luca) = crate::auth::demo_idp::people::find("luca") {
            let (cf, email) = (luca.codice_fiscale().unwrap_or_default(), luca.email);
            let (given, family) = (luca.given_name, luca.family_name);
            let now = crate::kernel::Clock::system().now();
            crate::db::with_conn(&pool, move |c| {
                let who = crate::profiles::demo::DemoPerson {
                    codice_fiscale: &cf,
                    given_name: given,
                    family_name: family,
                    email,
                };
                crate::profiles::demo::seed(c, &who, now)
            })
            .await?;
        }
    }
    let addr = config.addr;
    let base = config.base_url.clone();
    if let Some(metrics) = config.metrics_addr {
        crate::telemetry::install(metrics)?;
        tracing::info!(%metrics, "metrics served");
    }
    let sampler = crate::telemetry::sample_pool(pool.clone());
    let state = AppState::new(config, pool.clone())?;
    let ready = state.ready.clone();

    // Clean-ups run on a schedule in every instance; one at a time does the work.
    let sweeper = crate::maintenance::spawn(state.clone(), crate::app::SWEEPS);
    // The outbox's worker: every instance sends what is due; a row is claimed by one.
    let postman = crate::maintenance::spawn_outbox(state.clone());

    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, base_url = %base, "Servizi Lavoro is listening");
    println!("Servizi Lavoro: listening on http://{addr} (public URL {base})");
    let idle = pool.clone();
    tokio::task::spawn_blocking(move || crate::db::release_start_up_memory(&idle)).await?;
    // On this thread (keys, state) and on the blocking one that ran the
    // migrations and the demo data (the pool reuses its idle thread).
    listening();
    tokio::task::spawn_blocking(listening).await?;
    // Client addresses feed the sign-in throttling.
    let app = build_router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    // On SIGTERM: not ready any more, no new connections, the requests in
    // flight finish — within a bound, after which the process ends anyway.
    let stopping = async move {
        shutdown_signal().await;
        ready.store(false, std::sync::atomic::Ordering::Relaxed);
        tracing::info!("shutting down: finishing the requests in flight");
        tokio::spawn(async {
            tokio::time::sleep(std::time::Duration::from_secs(SHUTDOWN_GRACE_SECS)).await;
            tracing::warn!("requests still in flight after {SHUTDOWN_GRACE_SECS} s: exiting");
            std::process::exit(0);
        });
    };
    axum::serve(listener, app).with_graceful_shutdown(stopping).await?;
    sweeper.abort();
    postman.abort();
    sampler.abort();
    Ok(())
}

/// How long the requests in flight may take to finish after SIGTERM.
const SHUTDOWN_GRACE_SECS: u64 = 20;

async fn shutdown_signal() {
    let ctrl_c = async {
        // Without a handler, the runtime's own end stops the server too.
        drop(tokio::signal::ctrl_c().await);
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// An Italian time as the operator types it.
fn italian_time(s: &str) -> Result<chrono::NaiveDateTime, String> {
    chrono::NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M")
        .map(crate::kernel::clock::from_rome)
        .map_err(|_| format!("{s:?} is not an Italian time as YYYY-MM-DD HH:MM"))
}

/// Carries out an `outage` command on `conn` at `now`; what to print.
pub fn outage_on(
    conn: &mut crate::db::AnyConnection,
    cmd: OutageCommand,
    now: chrono::NaiveDateTime,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    use crate::catalog::outages::{self, Declared, Kind};
    let when = |at: chrono::NaiveDateTime| crate::kernel::clock::rome(at).format("%Y-%m-%d %H:%M").to_string();
    let declared = match cmd {
        OutageCommand::Start { service, until, note_it, note_en } => Declared {
            slug: service,
            kind: Kind::Unplanned,
            starts_at: now,
            ends_at: until.as_deref().map(italian_time).transpose()?,
            note_it,
            note_en,
        },
        OutageCommand::Plan { service, from, until, note_it, note_en } => Declared {
            slug: service,
            kind: Kind::Planned,
            starts_at: italian_time(&from)?,
            ends_at: Some(italian_time(&until)?),
            note_it,
            note_en,
        },
        OutageCommand::End { service } => {
            let n = outages::close(conn, &service, now)?;
            return Ok(format!("{service}: {n} interruptions ended or called off"));
        }
        OutageCommand::List => {
            let lines: Vec<String> = outages::record(conn, now)?
                .into_iter()
                .map(|x| {
                    let state = if x.in_force(now) {
                        "in force"
                    } else if x.upcoming(now) {
                        "planned"
                    } else {
                        "over"
                    };
                    let end = x.end().map(when).unwrap_or_else(|| "end not known".into());
                    format!("{} {} ({}, {state}): {} to {end}", x.id, x.slug, x.kind.code(), when(x.starts_at))
                })
                .collect();
            return Ok(if lines.is_empty() {
                "no interruptions in the past year".into()
            } else {
                format!("(Italian times)\n{}", lines.join("\n"))
            });
        }
    };
    declared.check(now)?;
    let id = outages::declare(conn, &declared, now)?;
    let end = declared.ends_at.map(when).unwrap_or_else(|| "an end not yet known".into());
    Ok(format!("interruption {id} of {}: from {} to {end} (Italian time)", declared.slug, when(declared.starts_at)))
}

async fn outage(config: Config, cmd: OutageCommand) -> CliResult {
    let url = config.database_url.clone();
    let said = tokio::task::spawn_blocking(move || -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
        let pool = crate::db::connect(&url, 1)?;
        let mut conn = pool.get()?;
        outage_on(&mut conn, cmd, crate::kernel::Clock::system().now())
    })
    .await??;
    println!("{said}");
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_import_that_rejected_rows_fails_and_one_that_did_not_succeeds() {
        assert!(super::rejected_rows(0).is_ok());
        let err = super::rejected_rows(3).expect_err("non-zero exit");
        assert!(err.to_string().starts_with("3 rows rejected"));
    }
}
