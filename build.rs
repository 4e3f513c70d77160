//! Link settings cargo cannot express in `Cargo.toml`.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // Test binaries are linked as position-dependent executables on Linux. A debug
    // test binary as a PIE carries ~90,000 relocations that the loader reads (2 MB)
    // and applies (copying ~190 pages) at every start: ~300 page faults, ~1.2 ms a
    // process. `cargo nextest` starts one process per test, so that is paid once per
    // conformance test (issue 13). Tests gain nothing from address-space
    // randomisation; the shipped `gatecheck` binary stays a PIE.
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-tests=-no-pie");
    }
}
