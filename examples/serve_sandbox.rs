//! Runs the embedded reference gateway until Ctrl-C, for trying official client
//! libraries against it: `cargo run --example serve_sandbox -- 4567`.

use gatecheck::sandbox::{Sandbox, SandboxConfig};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let sandbox = Sandbox::bind(SandboxConfig::default(), ([127, 0, 0, 1], port).into()).await?;
    println!(
        "Braintree API: {}/merchants/sandbox_merchant",
        sandbox.base_url()
    );
    tokio::signal::ctrl_c().await?;
    sandbox.shutdown().await;
    Ok(())
}
