//! The settings of the property tests inside the crate (the integration tests have
//! theirs in `tests/common`).

use proptest::test_runner::Config;

/// `cases` cases unless `PROPTEST_CASES` says otherwise, and no files of failures
/// written into the tree (a failing case is printed, to be made a plain test).
pub(crate) fn proptest_config(cases: u32) -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config.failure_persistence = None;
    config
}
