//! The figures of issue 13, in one run on one machine: gatecheck's request throughput
//! against a bare reqwest loop sending the same requests at the same concurrency, the
//! cost of a snapshot step, normalizing and comparing a 1 MB answer, `gatecheck
//! check` on 10,000 files, and peak memory of `gatecheck run` on 1,000 and 10,000
//! scenarios.
//!
//! `cargo bench --bench throughput` (`GATECHECK_BENCH_ROUNDS=N` rounds, default 5;
//! `GATECHECK_BENCH_SCENARIOS=N` scenarios per throughput run, default 300;
//! `GATECHECK_BENCH_ONLY=load,memory` runs only the sections named: `throughput`
//! (with the snapshot step's cost), `snapshot` (the 1 MB answer), `load`, `memory`;
//! `GATECHECK_BENCH_NO_MEMORY=1` skips the peak-memory runs; `GATECHECK_BENCH_DIR=dir`
//! writes the generated suites there and leaves them). With `-- --with-hurl`,
//! also Hurl (`hurl --test --jobs N`) on the equivalent suite, generated as `.hurl`
//! files, when `hurl` is installed.
//!
//! Both sides drive one `gatecheck serve` process, so the gateway's CPU is never the
//! harness's. gatecheck is measured as users run it: the `gatecheck run` process, from
//! start to exit (loading included). The bare loop runs in this process: reqwest, the
//! same four requests per scenario with the same bodies (encoded by gatecheck's own
//! encoders), the same number of scenarios in flight, status checked only. Rounds
//! alternate which side goes first; the machine is shared and noisy, so ratios per
//! round are reported, with min/median/max.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gatecheck::wire::{Format, encode_body};
use serde_json::{Value, json};

/// The allocator the `gatecheck` binary runs on (`src/main.rs`), so that what this
/// process measures of the library (the 1 MB snapshot) costs what it costs in a run.
/// The bare loop runs on it too: a baseline at least as fast as on the system's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const GATECHECK: &str = env!("CARGO_BIN_EXE_gatecheck");

type Result<T> = std::result::Result<T, String>;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Clone, Copy, PartialEq)]
enum Api {
    Chargebee,
    Braintree,
}

impl Api {
    fn name(self) -> &'static str {
        match self {
            Api::Chargebee => "chargebee",
            Api::Braintree => "braintree",
        }
    }
}

/// A scenario of four requests, sixteen assertions (statuses included) and one
/// capture; `snapshot` adds a snapshot to its third step.
fn scenario(api: Api, snapshot: bool) -> String {
    let snap = if snapshot { "    snapshot: true\n" } else { "" };
    match api {
        Api::Chargebee => format!(
            r#"name: create, read, give a card reference, read again
api: chargebee
steps:
  - name: create
    request:
      method: POST
      path: /api/v2/customers
      body: {{ id: "cb-${{uuid}}", first_name: Ada, last_name: Lovelace, email: ada@example.com }}
    expect:
      status: 200
      json:
        $.customer.first_name: Ada
        $.customer.last_name: Lovelace
        $.customer.email: ada@example.com
    capture:
      customer_id: $.customer.id
  - name: read
    request:
      method: GET
      path: /api/v2/customers/${{customer_id}}
    expect:
      status: 200
      json:
        $.customer.id: ${{customer_id}}
        $.customer.card_status: no_card
        $.customer.payment_method: {{ exists: false }}
  - name: card reference
    request:
      method: POST
      path: /api/v2/customers/${{customer_id}}/update_payment_method
      body:
        payment_method: {{ type: card, reference_id: cus_63MnDn0t6kfDW7/card_6WjCF20vT9WN1G }}
    expect:
      status: 200
      json:
        $.customer.card_status: valid
        $.customer.payment_method.gateway: stripe
        $.card.masked_number: {{ matches: '^\*+1111$' }}
{snap}  - name: read again
    request:
      method: GET
      path: /api/v2/customers/${{customer_id}}
    expect:
      status: 200
      json:
        $.customer.payment_method.reference_id: cus_63MnDn0t6kfDW7/card_6WjCF20vT9WN1G
        $.customer.payment_method.status: valid
        $.card.customer_id: ${{customer_id}}
"#
        ),
        Api::Braintree => format!(
            r#"name: create, read, update, read again
api: braintree
steps:
  - name: create
    request:
      method: POST
      path: /merchants/${{merchant_id}}/customers
      body:
        customer: {{ id: "${{uuid}}", first_name: Ada, last_name: Lovelace, email: ada@example.com }}
    expect:
      status: 201
      json:
        $.customer.first_name: Ada
        $.customer.last_name: Lovelace
        $.customer.email: ada@example.com
    capture:
      customer_id: $.customer.id
  - name: read
    request:
      method: GET
      path: /merchants/${{merchant_id}}/customers/${{customer_id}}
    expect:
      status: 200
      json:
        $.customer.id: ${{customer_id}}
        $.customer.first_name: Ada
        $.customer.email: ada@example.com
  - name: update
    request:
      method: PUT
      path: /merchants/${{merchant_id}}/customers/${{customer_id}}
      body:
        customer: {{ first_name: Grace }}
    expect:
      status: 200
      json:
        $.customer.first_name: Grace
        $.customer.last_name: Lovelace
        $.customer.id: ${{customer_id}}
{snap}  - name: read again
    request:
      method: GET
      path: /merchants/${{merchant_id}}/customers/${{customer_id}}
    expect:
      status: 200
      json:
        $.customer.first_name: Grace
        $.customer.last_name: Lovelace
        $.customer.id: ${{customer_id}}
"#
        ),
    }
}

fn config(base_url: &str) -> String {
    format!(
        r#"specs: specs
snapshots: snapshots
default_target: bench
apis:
  braintree:
    format: xml
    headers: {{ Accept: application/xml, X-ApiVersion: "6" }}
    redact:
      "$..created_at": "[timestamp]"
      "$..updated_at": "[timestamp]"
      "$..token": "[token]"
      "$..global_id": "[global_id]"
      "$..graphql_id": "[global_id]"
  chargebee:
    format: form
    headers: {{ Accept: application/json }}
    redact:
      "$..created_at": "[timestamp]"
      "$..updated_at": "[timestamp]"
      "$..resource_version": "[resource_version]"
      "$..primary_payment_source_id": "[payment_source_id]"
      "$..payment_source_id": "[payment_source_id]"
targets:
  bench:
    base_url: {base_url}
    apis:
      braintree:
        auth: {{ basic: {{ username: sandbox_public, password: sandbox_private }} }}
        vars: {{ merchant_id: sandbox_merchant }}
      chargebee:
        auth: {{ basic: {{ username: sandbox_api_key, password: "" }} }}
"#
    )
}

/// Writes `count` copies of a scenario under `dir`, 100 to a directory.
fn write_suite(dir: &Path, api: Api, snapshot: bool, count: usize) -> Result<()> {
    let text = scenario(api, snapshot);
    for i in 0..count {
        let sub = dir.join(format!("d{:03}", i / 100));
        std::fs::create_dir_all(&sub).map_err(|e| e.to_string())?;
        std::fs::write(sub.join(format!("s{i:05}.yaml")), &text).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The reference gateway in its own process, as `gatecheck serve` runs it.
struct Gateway {
    child: Child,
    url: String,
}

impl Gateway {
    fn start() -> Result<Gateway> {
        let mut child = Command::new(GATECHECK)
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start gatecheck serve: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .ok_or_else(|| format!("unexpected first line from serve: {line:?}"))?
            .to_string();
        Ok(Gateway { child, url })
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU time (user + system) spent while something ran: by this process (the bare
/// loop), by the children it waited for (a `gatecheck run`), and by the gateway.
#[derive(Clone, Copy)]
struct Cpu {
    own: Duration,
    children: Duration,
    gateway: Duration,
}

/// `getrusage(who)`'s user + system time.
fn rusage(who: libc::c_int) -> Duration {
    // SAFETY: `rusage` is plain integers and `timeval`s, for which all zeros is a value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable `rusage`; `who` is a `RUSAGE_*` constant.
    if unsafe { libc::getrusage(who, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// CPU time of a running process, summed over its threads from the scheduler's
/// per-thread statistics (nanoseconds: `/proc/PID/stat` counts in 10 ms ticks, too
/// coarse for runs of tens of milliseconds).
fn running_cpu(pid: u32) -> Duration {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Duration::ZERO;
    };
    let nanos: u64 = tasks
        .filter_map(|task| {
            let text = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
            text.split_whitespace().next()?.parse::<u64>().ok()
        })
        .sum();
    Duration::from_nanos(nanos)
}

/// One round of a throughput row: the bare loop's requests/s, and what each side's
/// CPU did in the bare loop's run and in gatecheck's.
type CpuRound = (f64, Cpu, Cpu);

/// Runs `f`, with the CPU time each side spent meanwhile.
fn with_cpu<T>(gateway: &Gateway, f: impl FnOnce() -> Result<T>) -> Result<(T, Cpu)> {
    let (own, children) = (rusage(libc::RUSAGE_SELF), rusage(libc::RUSAGE_CHILDREN));
    let served = running_cpu(gateway.child.id());
    let value = f()?;
    let cpu = Cpu {
        own: rusage(libc::RUSAGE_SELF).saturating_sub(own),
        children: rusage(libc::RUSAGE_CHILDREN).saturating_sub(children),
        gateway: running_cpu(gateway.child.id()).saturating_sub(served),
    };
    Ok((value, cpu))
}

/// One request of the bare loop.
struct BareRequest {
    method: reqwest::Method,
    path: String,
    body: Option<(Vec<u8>, &'static str)>,
    status: u16,
}

fn bare_requests(api: Api) -> Result<Vec<BareRequest>> {
    // Braintree takes ids of at most 36 characters: a bare UUID.
    let uuid = uuid::Uuid::new_v4();
    let id = match api {
        Api::Chargebee => format!("cb-{uuid}"),
        Api::Braintree => uuid.to_string(),
    };
    let enc = |format, v: Value| encode_body(format, &v).map(Some);
    Ok(match api {
        Api::Chargebee => {
            let c = format!("/api/v2/customers/{id}");
            vec![
                BareRequest {
                    method: reqwest::Method::POST,
                    path: "/api/v2/customers".into(),
                    body: enc(
                        Format::Form,
                        json!({"id": id, "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}),
                    )?,
                    status: 200,
                },
                BareRequest {
                    method: reqwest::Method::GET,
                    path: c.clone(),
                    body: None,
                    status: 200,
                },
                BareRequest {
                    method: reqwest::Method::POST,
                    path: format!("{c}/update_payment_method"),
                    body: enc(
                        Format::Form,
                        json!({"payment_method": {"type": "card", "reference_id": "cus_63MnDn0t6kfDW7/card_6WjCF20vT9WN1G"}}),
                    )?,
                    status: 200,
                },
                BareRequest {
                    method: reqwest::Method::GET,
                    path: c,
                    body: None,
                    status: 200,
                },
            ]
        }
        Api::Braintree => {
            let c = format!("/merchants/sandbox_merchant/customers/{id}");
            vec![
                BareRequest {
                    method: reqwest::Method::POST,
                    path: "/merchants/sandbox_merchant/customers".into(),
                    body: enc(
                        Format::Xml,
                        json!({"customer": {"id": id, "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}}),
                    )?,
                    status: 201,
                },
                BareRequest {
                    method: reqwest::Method::GET,
                    path: c.clone(),
                    body: None,
                    status: 200,
                },
                BareRequest {
                    method: reqwest::Method::PUT,
                    path: c.clone(),
                    body: enc(Format::Xml, json!({"customer": {"first_name": "Grace"}}))?,
                    status: 200,
                },
                BareRequest {
                    method: reqwest::Method::GET,
                    path: c,
                    body: None,
                    status: 200,
                },
            ]
        }
    })
}

/// The bare loop: `scenarios` sequences of four requests, `jobs` sequences at once.
/// Returns requests per second.
/// The bare loop's requests/s, and the CPU each side spent while it was timed (the
/// client is made before: it is not part of sending).
fn bare_loop(
    runtime: &tokio::runtime::Runtime,
    gateway: &Gateway,
    api: Api,
    scenarios: usize,
    jobs: usize,
) -> Result<(f64, Cpu)> {
    let client = reqwest::Client::new();
    let base: Arc<str> = Arc::from(gateway.url.as_str());
    let (took, cpu) = with_cpu(gateway, || {
        let started = Instant::now();
        bare_requests_sent(runtime, &client, &base, api, scenarios, jobs)?;
        Ok(started.elapsed())
    })?;
    Ok(((scenarios * 4) as f64 / took.as_secs_f64(), cpu))
}

/// The bare loop itself: `scenarios` times the four requests, `jobs` at once.
fn bare_requests_sent(
    runtime: &tokio::runtime::Runtime,
    client: &reqwest::Client,
    base: &Arc<str>,
    api: Api,
    scenarios: usize,
    jobs: usize,
) -> Result<()> {
    runtime.block_on(async {
        let permits = Arc::new(tokio::sync::Semaphore::new(jobs));
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..scenarios {
            let permits = Arc::clone(&permits);
            let client = client.clone();
            let base = Arc::clone(base);
            set.spawn(async move {
                let _permit = permits.acquire_owned().await.map_err(|e| e.to_string())?;
                for r in bare_requests(api)? {
                    let mut b = client
                        .request(r.method, format!("{base}{}", r.path))
                        .timeout(Duration::from_secs(30));
                    b = match api {
                        Api::Chargebee => b
                            .basic_auth("sandbox_api_key", Some(""))
                            .header("Accept", "application/json"),
                        Api::Braintree => b
                            .basic_auth("sandbox_public", Some("sandbox_private"))
                            .header("Accept", "application/xml")
                            .header("X-ApiVersion", "6"),
                    };
                    if let Some((body, content_type)) = r.body {
                        b = b.header("Content-Type", content_type).body(body);
                    }
                    let response = b.send().await.map_err(|e| e.to_string())?;
                    let status = response.status().as_u16();
                    // Read the answer whole, as any client would.
                    response.bytes().await.map_err(|e| e.to_string())?;
                    if status != r.status {
                        return Err(format!("bare loop: status {status}, not {}", r.status));
                    }
                }
                Ok::<(), String>(())
            });
        }
        while let Some(joined) = set.join_next().await {
            joined.map_err(|e| e.to_string())??;
        }
        Ok::<(), String>(())
    })
}

fn gatecheck(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(GATECHECK);
    cmd.current_dir(dir)
        .args(args)
        .env_remove("CI")
        .env_remove("GATECHECK_UPDATE")
        .env_remove("GATECHECK_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// `gatecheck run <suite> --jobs N` from start to exit; requests per second.
fn gatecheck_run(dir: &Path, suite: &str, scenarios: usize, jobs: usize) -> Result<f64> {
    let started = Instant::now();
    let out = gatecheck(dir, &["run", suite, "--jobs", &jobs.to_string()])
        .output()
        .map_err(|e| e.to_string())?;
    let elapsed = started.elapsed().as_secs_f64();
    if !out.status.success() {
        let mut detail = gatecheck(dir, &["run", suite, "--jobs", "1"]);
        detail.stdout(Stdio::piped());
        let again = detail.output().map_err(|e| e.to_string())?;
        return Err(format!(
            "gatecheck run {suite} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&again.stdout)
                .lines()
                .rev()
                .take(40)
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    Ok((scenarios * 4) as f64 / elapsed)
}

/// `gatecheck check <suite>` from start to exit, in seconds: what a run does before
/// its first request (start, read and check every file, plan), with nothing sent.
fn gatecheck_check(dir: &Path, suite: &str) -> Result<f64> {
    let started = Instant::now();
    let out = gatecheck(dir, &["check", suite])
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "gatecheck check {suite} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(started.elapsed().as_secs_f64())
}

/// The high-water mark of resident memory of `cmd`, in MB, sampled from
/// `/proc/PID/status` until it exits (the mark only grows, so the last sample is the
/// peak up to a few milliseconds before exit), and how long it ran.
fn peak_memory(mut cmd: Command) -> Result<(f64, Duration)> {
    let started = Instant::now();
    let mut child = cmd.spawn().map_err(|e| e.to_string())?;
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status_file)
            && let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            if !status.success() {
                return Err(format!("memory run failed: {status}"));
            }
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok((peak_kb as f64 / 1024.0, started.elapsed()))
}

fn stats(values: &[f64]) -> (f64, f64, f64) {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    (v[0], v[v.len() / 2], v[v.len() - 1])
}

fn fmt3((min, med, max): (f64, f64, f64), digits: usize) -> String {
    format!("{min:.digits$} / {med:.digits$} / {max:.digits$}")
}

/// A JSON answer of about `bytes` bytes, shaped like a list of customers.
fn big_answer(bytes: usize) -> Value {
    let mut customers = Vec::new();
    let mut size = 0;
    let mut i = 0;
    while size < bytes {
        let c = json!({
            "id": format!("cust_{i:08}"),
            "first_name": "Ada", "last_name": "Lovelace", "email": format!("ada{i}@example.com"),
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-02T00:00:00Z",
            "card": {"masked_number": "************1111", "brand": "visa", "expiry": "05/2030"},
            "notes": "a customer kept for the benchmark, with a few words of text in it",
            "tags": ["one", "two", "three"],
        });
        size += c.to_string().len();
        customers.push(c);
        i += 1;
    }
    json!({ "list": customers })
}

/// Normalizing, rendering and comparing a 1 MB answer with an identical stored
/// snapshot (the usual case), and with one differing value, as a run does it: from
/// the answer's text (which the step kept) to the comparison's result; milliseconds,
/// medians.
fn snapshot_1mb(dir: &Path) -> Result<(f64, f64, usize)> {
    use gatecheck::mask::Masker;
    use gatecheck::snapshot::store;
    use gatecheck::snapshot::{Entry, KeptAnswer, KeptBody, Memo, Snapshot, SnapshotMode};
    use gatecheck::spec::jsonpath::JsonPathExpr;

    let answer = big_answer(1 << 20);
    let size = answer.to_string().len();
    let paths: Vec<JsonPathExpr> = ["$..created_at", "$..updated_at", "$..resource_version"]
        .iter()
        .map(|p| JsonPathExpr::parse(p))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| format!("{e:?}"))?;
    let masker = Masker::new(["sandbox_private".to_string()]);
    let memo = Memo::default();
    let path = dir.join("big.snap.yaml");
    let once = |answer: &Value| -> Result<(f64, bool)> {
        // The step hands its answer's text over; it does not copy it.
        let text = answer.to_string().into_bytes();
        let started = Instant::now();
        let snapshot = Snapshot {
            scenario: "big",
            entries: vec![Entry::Answer(KeptAnswer {
                key: "1".into(),
                method: "GET".into(),
                path: "/customers".into(),
                status: 200,
                body: KeptBody::Json(text),
                vars: vec![("customer_id".into(), "cust_00000007".into())],
            })],
            redact: paths.iter().map(|p| (p, "[timestamp]")).collect(),
        };
        let result = store::compare_snapshot(
            &path,
            Path::new("big.yaml"),
            snapshot,
            &masker,
            &memo,
            SnapshotMode::Check,
            false,
        )?;
        Ok((started.elapsed().as_secs_f64() * 1e3, result.is_ok()))
    };
    once(&answer)?; // writes the stored snapshot
    let mut same = Vec::new();
    for _ in 0..9 {
        let (ms, ok) = once(&answer)?;
        if !ok {
            return Err("the 1 MB snapshot did not match itself".into());
        }
        same.push(ms);
    }
    let mut changed = answer.clone();
    changed["list"][3]["first_name"] = json!("Grace");
    let mut differs = Vec::new();
    for _ in 0..9 {
        let (ms, ok) = once(&changed)?;
        if ok {
            return Err("the changed 1 MB snapshot matched".into());
        }
        differs.push(ms);
    }
    let _ = std::fs::remove_file(store::pending_path(&path));
    Ok((stats(&same).1, stats(&differs).1, size))
}

/// The scenario of [`scenario`] as a Hurl file: the same requests (bodies encoded by
/// gatecheck's encoders, `{{newUuid}}` for the fresh id), the same statuses, the same
/// sixteen assertions (JSONPath on Chargebee's JSON, XPath on Braintree's XML, which
/// gatecheck reads as a JSON tree) and the same capture.
fn hurl_scenario(api: Api) -> Result<String> {
    use base64::Engine as _;
    const ID: &str = "XUUIDX";
    let basic = |user: &str, password: &str| {
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    };
    let body = |format, v: Value| -> Result<String> {
        let (bytes, _) = encode_body(format, &v)?;
        Ok(String::from_utf8_lossy(&bytes).replace(ID, "{{newUuid}}"))
    };
    Ok(match api {
        Api::Chargebee => {
            let head = format!(
                "Authorization: Basic {}\nAccept: application/json\n",
                basic("sandbox_api_key", "")
            );
            let form = "Content-Type: application/x-www-form-urlencoded\n";
            let create = body(
                Format::Form,
                json!({"id": format!("cb-{ID}"), "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}),
            )?;
            let card = body(
                Format::Form,
                json!({"payment_method": {"type": "card", "reference_id": "cus_63MnDn0t6kfDW7/card_6WjCF20vT9WN1G"}}),
            )?;
            let c = "{{base}}/api/v2/customers/{{customer_id}}";
            format!(
                r#"POST {{{{base}}}}/api/v2/customers
{head}{form}```
{create}
```
HTTP 200
[Captures]
customer_id: jsonpath "$.customer.id"
[Asserts]
jsonpath "$.customer.first_name" == "Ada"
jsonpath "$.customer.last_name" == "Lovelace"
jsonpath "$.customer.email" == "ada@example.com"

GET {c}
{head}
HTTP 200
[Asserts]
jsonpath "$.customer.id" == "{{{{customer_id}}}}"
jsonpath "$.customer.card_status" == "no_card"
jsonpath "$.customer.payment_method" not exists

POST {c}/update_payment_method
{head}{form}```
{card}
```
HTTP 200
[Asserts]
jsonpath "$.customer.card_status" == "valid"
jsonpath "$.customer.payment_method.gateway" == "stripe"
jsonpath "$.card.masked_number" matches /^\*+1111$/

GET {c}
{head}
HTTP 200
[Asserts]
jsonpath "$.customer.payment_method.reference_id" == "cus_63MnDn0t6kfDW7/card_6WjCF20vT9WN1G"
jsonpath "$.customer.payment_method.status" == "valid"
jsonpath "$.card.customer_id" == "{{{{customer_id}}}}"
"#
            )
        }
        Api::Braintree => {
            let head = format!(
                "Authorization: Basic {}\nAccept: application/xml\nX-ApiVersion: 6\n",
                basic("sandbox_public", "sandbox_private")
            );
            let xml = "Content-Type: application/xml\n";
            let create = body(
                Format::Xml,
                json!({"customer": {"id": ID, "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}}),
            )?;
            let update = body(Format::Xml, json!({"customer": {"first_name": "Grace"}}))?;
            let c = "{{base}}/merchants/sandbox_merchant/customers/{{customer_id}}";
            let x = |field: &str| format!("xpath \"string(/customer/{field})\"");
            let (first, last, email, id) = (x("first-name"), x("last-name"), x("email"), x("id"));
            format!(
                r#"POST {{{{base}}}}/merchants/sandbox_merchant/customers
{head}{xml}```
{create}
```
HTTP 201
[Captures]
customer_id: {id}
[Asserts]
{first} == "Ada"
{last} == "Lovelace"
{email} == "ada@example.com"

GET {c}
{head}
HTTP 200
[Asserts]
{id} == "{{{{customer_id}}}}"
{first} == "Ada"
{email} == "ada@example.com"

PUT {c}
{head}{xml}```
{update}
```
HTTP 200
[Asserts]
{first} == "Grace"
{last} == "Lovelace"
{id} == "{{{{customer_id}}}}"

GET {c}
{head}
HTTP 200
[Asserts]
{first} == "Grace"
{last} == "Lovelace"
{id} == "{{{{customer_id}}}}"
"#
            )
        }
    })
}

/// Writes `count` copies of the Hurl scenario under `dir`; returns their paths.
fn write_hurl_suite(dir: &Path, api: Api, count: usize) -> Result<Vec<String>> {
    let text = hurl_scenario(api)?;
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    (0..count)
        .map(|i| {
            let path = dir.join(format!("s{i:05}.hurl"));
            std::fs::write(&path, &text).map_err(|e| e.to_string())?;
            Ok(path.to_string_lossy().into_owned())
        })
        .collect()
}

/// Hurl's version, when it is installed.
fn hurl_version() -> Option<String> {
    let out = Command::new("hurl").arg("--version").output().ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    })
}

/// `hurl --test --jobs N` on the suite from start to exit; requests per second.
/// `--compressed` asks for gzip as gatecheck's client does, so the gateway does the
/// same work for both.
fn hurl_run(files: &[String], base: &str, jobs: usize) -> Result<f64> {
    let started = Instant::now();
    let out = Command::new("hurl")
        .args(["--test", "--compressed", "--jobs", &jobs.to_string()])
        .args(["--variable", &format!("base={base}")])
        .args(files)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| e.to_string())?;
    let elapsed = started.elapsed().as_secs_f64();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "hurl failed: {}",
            err.lines().take(40).collect::<Vec<_>>().join("\n")
        ));
    }
    Ok((files.len() * 4) as f64 / elapsed)
}

/// gatecheck against Hurl on the equivalent suite, alternating which goes first.
fn hurl_table(dir: &Path, base: &str, scenarios: usize, rounds: usize) -> Result<()> {
    let Some(version) = hurl_version() else {
        println!("\n--with-hurl: skipped, `hurl` is not installed (cargo install hurl --locked)");
        return Ok(());
    };
    println!("\nHurl ({version}) on the equivalent suite, requests/s min / median / max");
    println!(
        "{:<10} {:>4}  {:>22}  {:>22}  {:>20}",
        "api", "jobs", "hurl --test", "gatecheck run", "gatecheck / hurl"
    );
    for api in [Api::Chargebee, Api::Braintree] {
        let files = write_hurl_suite(&dir.join("hurl").join(api.name()), api, scenarios)?;
        let suite = format!("specs/{}", api.name());
        hurl_run(&files[..files.len().min(20)], base, 2)?; // warm up, and fail early
        for jobs in [2usize, 8] {
            let (mut h, mut g, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
            for round in 0..rounds {
                let (hv, gv) = if round % 2 == 0 {
                    let hv = hurl_run(&files, base, jobs)?;
                    (hv, gatecheck_run(dir, &suite, scenarios, jobs)?)
                } else {
                    let gv = gatecheck_run(dir, &suite, scenarios, jobs)?;
                    (hurl_run(&files, base, jobs)?, gv)
                };
                h.push(hv);
                g.push(gv);
                ratio.push(gv / hv);
            }
            println!(
                "{:<10} {:>4}  {:>22}  {:>22}  {:>20}",
                api.name(),
                jobs,
                fmt3(stats(&h), 0),
                fmt3(stats(&g), 0),
                fmt3(stats(&ratio), 2)
            );
        }
    }
    Ok(())
}

fn main() -> Result<()> {
    let rounds = env_usize("GATECHECK_BENCH_ROUNDS", 5).max(1);
    let scenarios = env_usize("GATECHECK_BENCH_SCENARIOS", 300).max(1);
    let only = std::env::var("GATECHECK_BENCH_ONLY").ok();
    let wanted = |section: &str| {
        only.as_deref()
            .is_none_or(|list| list.split(',').any(|s| s.trim() == section))
    };
    let skip_memory = std::env::var_os("GATECHECK_BENCH_NO_MEMORY").is_some() || !wanted("memory");
    let with_hurl = std::env::args().any(|a| a == "--with-hurl");
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    // A directory to keep the generated suites in, to profile a run of them later.
    let kept = std::env::var_os("GATECHECK_BENCH_DIR").map(std::path::PathBuf::from);
    let dir = kept.as_deref().unwrap_or(tmp.path());
    let gateway = Gateway::start()?;
    std::fs::write(dir.join("gatecheck.yaml"), config(&gateway.url)).map_err(|e| e.to_string())?;
    for api in [Api::Chargebee, Api::Braintree] {
        write_suite(&dir.join("specs").join(api.name()), api, false, scenarios)?;
        write_suite(&dir.join("snap").join(api.name()), api, true, scenarios)?;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let machine = machine();
    println!("machine: {machine}");
    if wanted("throughput") {
        throughput(dir, &runtime, &gateway, rounds, scenarios)?;
    }
    if with_hurl {
        hurl_table(dir, &gateway.url, scenarios, rounds)?;
    }
    if wanted("snapshot") {
        let (same_ms, changed_ms, size) = snapshot_1mb(dir)?;
        println!(
            "1 MB answer ({size} bytes JSON): from the kept text to the result (read, normalize, render, compare): {same_ms:.1} ms when unchanged, {changed_ms:.1} ms when one value differs (medians of 9)"
        );
    }
    let many = dir.join("many");
    if wanted("load") || !skip_memory {
        write_suite(&many.join("chargebee"), Api::Chargebee, false, 10_000)?;
    }
    if wanted("load") {
        load(dir, rounds)?;
    }
    if !skip_memory {
        memory(dir)?;
    } else {
        println!("peak memory: skipped");
    }
    let _ = std::io::stdout().flush();
    drop(gateway);
    Ok(())
}

/// Throughput against the bare loop, and the snapshot step's cost, per API and jobs.
fn throughput(
    dir: &Path,
    runtime: &tokio::runtime::Runtime,
    gateway: &Gateway,
    rounds: usize,
    scenarios: usize,
) -> Result<()> {
    // Warm up both sides, and write the snapshots the snapshot runs compare with.
    for api in [Api::Chargebee, Api::Braintree] {
        bare_loop(runtime, gateway, api, 20, 2)?;
        gatecheck_run(dir, &format!("snap/{}", api.name()), scenarios, 8)?;
    }

    println!(
        "throughput: {scenarios} scenarios x 4 requests (16 assertions, 1 capture) per run, {rounds} rounds; requests/s min / median / max"
    );
    println!(
        "{:<10} {:>4}  {:>22}  {:>22}  {:>20}",
        "api", "jobs", "bare reqwest loop", "gatecheck run", "ratio"
    );
    let mut snapshot_rows = Vec::new();
    let mut cpu_rows = Vec::new();
    let mut fixed_rows = Vec::new();
    for api in [Api::Chargebee, Api::Braintree] {
        for jobs in [2usize, 8] {
            let (mut bare, mut gc, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
            let (mut plain, mut snap, mut cost) = (Vec::new(), Vec::new(), Vec::new());
            let mut cpu = Vec::new();
            let (mut before, mut bound) = (Vec::new(), Vec::new());
            for round in 0..rounds {
                let suite = format!("specs/{}", api.name());
                let snap_suite = format!("snap/{}", api.name());
                let bare_run = || bare_loop(runtime, gateway, api, scenarios, jobs);
                let gatecheck =
                    || with_cpu(gateway, || gatecheck_run(dir, &suite, scenarios, jobs));
                let ((b, bare_cpu), (g, gc_cpu)) = if round % 2 == 0 {
                    let b = bare_run()?;
                    (b, gatecheck()?)
                } else {
                    let g = gatecheck()?;
                    (bare_run()?, g)
                };
                bare.push(b);
                gc.push(g);
                ratio.push(g / b);
                cpu.push((b, bare_cpu, gc_cpu));
                // The snapshot cost, against the run just before it.
                let s = gatecheck_run(dir, &snap_suite, scenarios, jobs)?;
                let p = if round % 2 == 0 {
                    gatecheck_run(dir, &suite, scenarios, jobs)?
                } else {
                    g
                };
                plain.push(p);
                snap.push(s);
                cost.push(1.0 - s / p);
                // What the run does before its first request, and the ratio that
                // leaves even if every request then cost it what it costs the bare loop.
                let c = gatecheck_check(dir, &suite)?;
                let bare_time = (scenarios * 4) as f64 / b;
                before.push(c * 1e3);
                bound.push(bare_time / (bare_time + c));
            }
            fixed_rows.push((api, jobs, stats(&before), stats(&bound)));
            println!(
                "{:<10} {:>4}  {:>22}  {:>22}  {:>20}",
                api.name(),
                jobs,
                fmt3(stats(&bare), 0),
                fmt3(stats(&gc), 0),
                fmt3(stats(&ratio), 2)
            );
            snapshot_rows.push((api, jobs, stats(&plain), stats(&snap), stats(&cost)));
            cpu_rows.push((api, jobs, cpu));
        }
    }
    cpu_table(scenarios, &cpu_rows);
    println!(
        "\nbefore the first request: `gatecheck check` of the suite (start, read, check, plan; nothing sent), ms,\nand the ratio it leaves if each request then cost gatecheck what it costs the bare loop: bare / (bare + check)"
    );
    println!(
        "{:<10} {:>4}  {:>22}  {:>22}",
        "api", "jobs", "check, ms", "ratio bound"
    );
    for (api, jobs, before, bound) in fixed_rows {
        println!(
            "{:<10} {:>4}  {:>22}  {:>22}",
            api.name(),
            jobs,
            fmt3(before, 1),
            fmt3(bound, 2)
        );
    }
    println!("\nsnapshot step cost: one step of four snapshotted, requests/s min / median / max");
    println!(
        "{:<10} {:>4}  {:>22}  {:>22}  {:>22}",
        "api", "jobs", "without", "with", "cost (1 - with/without)"
    );
    for (api, jobs, plain, snap, cost) in snapshot_rows {
        println!(
            "{:<10} {:>4}  {:>22}  {:>22}  {:>22}",
            api.name(),
            jobs,
            fmt3(plain, 0),
            fmt3(snap, 0),
            format!(
                "{:.0}% / {:.0}% / {:.0}%",
                cost.0 * 100.0,
                cost.1 * 100.0,
                cost.2 * 100.0
            )
        );
    }
    Ok(())
}

/// Where each side's CPU went, per request (each column's median over the rounds, so
/// the columns of a row may come from different rounds), against what the
/// machine has: its cores for as long as the bare loop took. When the bare loop and
/// its gateway already use about all of it, a harness that does more per request than
/// the bare loop cannot keep up with it, however its work is arranged.
fn cpu_table(scenarios: usize, rows: &[(Api, usize, Vec<CpuRound>)]) {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let requests = (scenarios * 4) as f64;
    let micros = |d: Duration| d.as_secs_f64() * 1e6 / requests;
    println!(
        "\nCPU per request, user + system, µs (median of rounds); machine: {cores} cores x the bare loop's time per request"
    );
    println!(
        "{:<10} {:>4}  {:>12} {:>12}  {:>14} {:>12}  {:>8}",
        "api", "jobs", "bare client", "its gateway", "gatecheck run", "its gateway", "machine"
    );
    for (api, jobs, rounds) in rows {
        let pick =
            |f: &dyn Fn(&CpuRound) -> f64| stats(&rounds.iter().map(f).collect::<Vec<_>>()).1;
        println!(
            "{:<10} {:>4}  {:>12.1} {:>12.1}  {:>14.1} {:>12.1}  {:>8.1}",
            api.name(),
            jobs,
            pick(&|(_, bare, _)| micros(bare.own)),
            pick(&|(_, bare, _)| micros(bare.gateway)),
            pick(&|(_, _, gc)| micros(gc.children)),
            pick(&|(_, _, gc)| micros(gc.gateway)),
            pick(&|(rate, _, _)| cores as f64 * 1e6 / rate),
        );
    }
}

/// `gatecheck check` on the 10,000 files of `many/`.
fn load(dir: &Path, rounds: usize) -> Result<()> {
    let mut load = Vec::new();
    for _ in 0..rounds.min(5) {
        load.push(gatecheck_check(dir, "many")?);
    }
    println!(
        "\ngatecheck check, 10,000 files: {} s (min / median / max)",
        fmt3(stats(&load), 3)
    );
    Ok(())
}

/// Peak memory of `gatecheck run` on 1,000 and 10,000 passing scenarios, without a
/// report and with each streamed one.
fn memory(dir: &Path) -> Result<()> {
    let thousand = dir.join("thousand");
    write_suite(&thousand.join("chargebee"), Api::Chargebee, false, 1_000)?;
    for (count, suite) in [(1_000, "thousand"), (10_000, "many")] {
        let (mb, took) = peak_memory(gatecheck(dir, &["run", suite, "--jobs", "8"]))?;
        let (mb_junit, _) = peak_memory(gatecheck(
            dir,
            &["run", suite, "--jobs", "8", "--junit", "junit.xml"],
        ))?;
        let (mb_json, _) = peak_memory(gatecheck(
            dir,
            &["run", suite, "--jobs", "8", "--json", "report.json"],
        ))?;
        println!(
            "peak memory, gatecheck run, {count} passing scenarios: {mb:.0} MB ({:.1} s); with --junit: {mb_junit:.0} MB; with --json: {mb_json:.0} MB",
            took.as_secs_f64()
        );
    }
    Ok(())
}

/// The CPU model and the number of CPUs this process may use.
fn machine() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    format!("{model}, {cpus} CPUs available, {}", std::env::consts::OS)
}
