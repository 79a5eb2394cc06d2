//! The `ployer` command line: `start` (default), `migrate`, `schema`, `reset-password`,
//! `backup`, `restore`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::{
    backup,
    config::{Config, LogFormat, Overrides},
    db, graphql,
    secrets::Secrets,
    services, startup, telemetry,
};

#[derive(Debug, Parser)]
#[command(
    name = "ployer",
    version,
    about = "A self-hosted platform-as-a-service in one small binary"
)]
pub struct Cli {
    /// TOML configuration file (default: ./ployer.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Directory for the database and generated secrets [env: PLOYER_DATA_DIR].
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Start {
        /// Address to listen on [env: PLOYER_LISTEN] [default: 127.0.0.1:3001].
        #[arg(long, value_name = "ADDR")]
        listen: Option<std::net::SocketAddr>,
        /// Log output format [env: PLOYER_LOG_FORMAT].
        #[arg(long, value_enum)]
        log_format: Option<LogFormat>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Set a user's password and end all their sessions.
    ResetPassword {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
    },
    /// Write a backup (the database and the keys that read its secrets) to FILE; safe while
    /// the server runs.
    Backup {
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
        /// Replace FILE when it exists.
        #[arg(long)]
        force: bool,
    },
    /// Put a backup back into the data dir of a stopped Ployer; the data there is kept aside.
    Restore {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli.command.unwrap_or(Command::Start {
        listen: None,
        log_format: None,
    });
    let mut overrides = Overrides {
        data_dir: cli.data_dir,
        ..Overrides::default()
    };
    if let Command::Start { listen, log_format } = &command {
        overrides.listen = *listen;
        overrides.log_format = *log_format;
    }
    if let Command::Schema = command {
        print!("{}", graphql::sdl());
        return Ok(());
    }
    let config = Config::load(cli.config.as_deref(), &overrides).context("invalid configuration")?;
    telemetry::init(config.log_format, &config.log_level);
    match command {
        Command::Start { .. } => {
            let app = startup::Application::build(config).await?;
            app.run_until_stopped(startup::shutdown_signal()).await
        }
        Command::Migrate => {
            startup::prepare_data_dir(&config.data_dir)?;
            let db = db::connect(&config.database_path()).await?;
            db::migrate(&db).await?;
            println!("migrations applied to {}", config.database_path().display());
            Ok(())
        }
        Command::ResetPassword { email, password } => {
            startup::prepare_data_dir(&config.data_dir)?;
            let db = db::connect(&config.database_path()).await?;
            db::migrate(&db).await?;
            let user = services::users::reset_password(&db, &email, &password)
                .await
                .map_err(|e| anyhow::anyhow!(e.message()))?;
            println!("password changed for {}; their sessions have ended", user.email);
            Ok(())
        }
        Command::Backup { to, force } => {
            let database = config.database_path();
            if !database.is_file() {
                anyhow::bail!("there is no database at {} to back up", database.display());
            }
            let secrets = Secrets::load_existing(&config)?;
            // No migration here: the server that may be running owns the schema.
            let db = db::connect(&database).await?;
            let manifest = backup::take(&db, &secrets, &to, force).await?;
            db.close().await.ok();
            println!(
                "backup of {} (schema {}) written to {}; it holds the keys to every secret: keep it private",
                database.display(),
                manifest.schema,
                to.display()
            );
            Ok(())
        }
        Command::Restore { from } => {
            let restored = backup::restore(&from, &config.data_dir).await?;
            let manifest = &restored.manifest;
            println!(
                "restored the backup taken {} by Ployer {} (schema {}) into {}",
                manifest.created_at.to_rfc3339(),
                manifest.ployer_version,
                manifest.schema,
                config.data_dir.display()
            );
            if let Some(previous) = &restored.previous {
                println!(
                    "the data that was there is kept in {}; delete it once the restored Ployer runs as it should",
                    previous.display()
                );
            }
            Ok(())
        }
        Command::Schema => Ok(()),
    }
}
