//! What the integration tests share: a temporary project and the `gatecheck` binary
//! run in it, and the property tests' configuration. Each test crate uses part of it.

#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;
use std::process::{Command, Stdio};

use tempfile::TempDir;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_gatecheck");

/// A temp project directory.
pub struct Project {
    pub dir: TempDir,
}

/// What a finished command printed and returned.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Project {
    /// A project whose `gatecheck.yaml` is `config`.
    pub fn new(config: &str) -> Project {
        let p = Project::empty();
        p.write("gatecheck.yaml", config);
        p
    }

    /// A project with no files yet.
    pub fn empty() -> Project {
        Project {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// Every file under the project, relative, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![self.dir.path().to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p.strip_prefix(self.dir.path()).expect("prefix");
                    out.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        out.sort();
        out
    }

    /// `gatecheck --config <project>/gatecheck.yaml ARGS`, outside CI, without colour.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let config = self.path("gatecheck.yaml");
        let mut c = self.found_cmd(&[]);
        c.arg("--config").arg(config).args(args);
        c
    }

    /// `gatecheck ARGS` in the project directory, which finds `gatecheck.yaml` there as
    /// a user's run does, outside CI, without colour.
    pub fn found_cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .current_dir(self.dir.path())
            .env_remove("CI")
            .env_remove("GATECHECK_UPDATE")
            .env_remove("GATECHECK_CONFIG")
            .env_remove("GATECHECK_VARS")
            .env_remove("GATECHECK_BRAINTREE_PRIVATE_KEY")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Out {
        exec(self.cmd(args))
    }

    pub fn run_ci(&self, args: &[&str]) -> Out {
        let mut c = self.cmd(args);
        c.env("CI", "true");
        exec(c)
    }
}

pub fn exec(mut c: Command) -> Out {
    let o = c.output().expect("run gatecheck");
    let out = Out {
        code: o.status.code().expect("exit code, not a signal"),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    assert!(
        !out.stderr.contains("panicked"),
        "gatecheck panicked:\n{out}"
    );
    out
}

/// The property tests' configuration: 64 cases unless `PROPTEST_CASES` asks for more
/// (or fewer). Failures are not persisted (proptest finds no `lib.rs` to store them
/// beside in `tests/`): the minimal failing input is printed, to be turned into a unit
/// test.
pub fn proptest_config() -> proptest::test_runner::Config {
    let mut config = proptest::test_runner::Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 64;
    }
    config.failure_persistence = None;
    config
}
