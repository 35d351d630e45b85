use clap::Parser;
use novatalks_server::{seed, ServerConfig};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let config = ServerConfig::parse();
    let server = match novatalks_server::start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("novatalks-server: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("NovaTalks Contacts is running at {}", server.url());
    println!(
        "Sign in as {} / {} (second account: {} / {})",
        seed::DEMO_AGENT_EMAIL,
        seed::DEMO_PASSWORD,
        seed::OTHER_AGENT_EMAIL,
        seed::DEMO_PASSWORD
    );
    println!("Press Ctrl-C to stop.");
    let stopped = server
        .run_until(async {
            let _ = tokio::signal::ctrl_c().await;
            println!("Stopping…");
        })
        .await;
    match stopped {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("novatalks-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
