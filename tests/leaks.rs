//! No secret, card number or CVV leaves gatecheck in any form: a suite puts known
//! values in every place a user can (a body in each wire format, headers, query,
//! path, step and scenario names, the base URL's userinfo, the target's auth, scenario
//! variables read from the environment, variables given from outside with `--vars FILE`
//! and `--var` that read the environment, a webhook) and sends them to a stand-in that
//! echoes everything back; every output of two runs (stdout, stderr, JUnit, JSON, the
//! snapshot and the pending snapshot) is searched for every form of every value: raw,
//! percent-encoded (`%20` and `+`, either hex case), base64, JSON-escaped, and card
//! numbers spaced, dashed, `+`-separated and run together with their CVV.
//!
//! Hermetic: the stand-in listens on 127.0.0.1:0 and is bound before gatecheck starts;
//! nothing waits with sleeps.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use serde_json::{Value, json};

mod common;

use common::{Out, Project, exec};

/// A scenario variable read from the environment: URL-reserved characters, a `%`, a
/// quote and a non-ASCII letter, so that each encoding differs from the raw value.
/// No `?` or `#`: in a path they would end it.
const SECRET: &str = "Zq7 p@ss/w+rd&k=v%\"é~;";
const SECRET_ENV: &str = "GATECHECK_LEAK_SECRET";
/// A variable of a `--vars` file, read from the environment.
const OUTSIDE: &str = "Ou7 s1de/v@l+ue=&x%é";
const OUTSIDE_ENV: &str = "GATECHECK_LEAK_OUTSIDE";
/// A `--var` read from the environment.
const FLAGGED: &str = "Fl4g~v@lue;k=v&z y/";
const FLAGGED_ENV: &str = "GATECHECK_LEAK_FLAGGED";
/// The target's API key (header auth), which a header value can carry.
const TOKEN: &str = "tk_Wx3+/=&?k y~";
const TOKEN_ENV: &str = "GATECHECK_LEAK_TOKEN";
/// A password written in `gatecheck.yaml` itself, in the base URL's userinfo.
const URL_PASSWORD: &str = "Lit@Pass/w0rd x";
const URL_PASSWORD_ENCODED: &str = "Lit%40Pass%2Fw0rd%20x";
const URL_USER: &str = "gc_leak_user";

const VISA: &str = "4111111111111111";
const MASTERCARD: &str = "5555555555554444";
const AMEX: &str = "378282246310005";
const CVV: &str = "9876";

// ---------------------------------------------------------------------------------------
// The project and the command.

/// `gatecheck --config <project>/gatecheck.yaml run ARGS` with the secrets in the
/// environment, outside CI, without colour.
fn run(p: &Project, args: &[&str]) -> Out {
    let mut c = p.cmd(&[&["run"], args].concat());
    c.env(SECRET_ENV, SECRET)
        .env(TOKEN_ENV, TOKEN)
        .env(OUTSIDE_ENV, OUTSIDE)
        .env(FLAGGED_ENV, FLAGGED);
    exec(c)
}

// ---------------------------------------------------------------------------------------
// The echoing stand-in.

/// A request as the stand-in received it.
struct Received {
    method: String,
    /// Path and query exactly as sent.
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            let (n, v) = l.split_once(':')?;
            Some((n.trim().to_string(), v.trim().to_string()))
        })
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn http_response(content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// POSTs `body` to `url` (`http://host:port/path`) with headers that carry card
/// data, and reads the answer, as a gateway sending a webhook would.
fn post_webhook(url: &str, body: &str) {
    let rest = url.strip_prefix("http://").expect("an http webhook URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(host).expect("connect to the webhook receiver");
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nX-CVV: {CVV}\r\nX-Card: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        spaced(VISA),
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .expect("send the webhook");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
}

/// Starts the stand-in on 127.0.0.1:0 and returns its address (`127.0.0.1:PORT`).
/// It answers every request with JSON quoting everything it received (method, path
/// with query, every header, the raw body and the body as JSON) and a sequence number,
/// so that a snapshot differs from one run to the next; but
/// - `/garbage…`: the same, as text that claims to be JSON (an undecodable answer);
/// - `/hang…`: never answers (a timeout);
/// - `/hook…`: first sends the body it received as a `card.stored` webhook to the
///   body's `url`.
fn echo_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    thread::spawn(move || {
        let seq = AtomicUsize::new(0);
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Some(req) = read_request(&mut stream) else {
                continue;
            };
            let path = req.target.trim_start_matches('/');
            if path.starts_with("hang") {
                held.push(stream);
                continue;
            }
            let parsed: Value = serde_json::from_str(&req.body).unwrap_or(Value::Null);
            if path.starts_with("hook") {
                let url = parsed["url"].as_str().expect("a webhook url in the body");
                let webhook =
                    json!({ "type": "card.stored", "data": parsed, "target": req.target });
                post_webhook(url, &webhook.to_string());
            }
            let headers: serde_json::Map<String, Value> = req
                .headers
                .iter()
                .map(|(n, v)| (n.clone(), Value::String(v.clone())))
                .collect();
            let echo = json!({
                "ok": true,
                "seq": seq.fetch_add(1, Ordering::SeqCst),
                "method": req.method,
                "target": req.target,
                "headers": headers,
                "raw": req.body,
                "json": parsed,
            });
            let answer = if path.starts_with("garbage") {
                http_response(
                    "application/json",
                    &format!(
                        "not json: {} {} {}",
                        req.target,
                        req.headers
                            .iter()
                            .map(|(n, v)| format!("{n}: {v}; "))
                            .collect::<String>(),
                        req.body
                    ),
                )
            } else {
                http_response("application/json", &echo.to_string())
            };
            let _ = stream.write_all(&answer);
            let _ = stream.flush();
        }
    });
    addr
}

// ---------------------------------------------------------------------------------------
// The suite.

fn spaced(pan: &str) -> String {
    group(pan, " ")
}

/// A card number in the groups it is printed in: 4-6-5 for Amex, else fours.
fn group(pan: &str, sep: &str) -> String {
    let sizes: &[usize] = if pan.len() == 15 {
        &[4, 6, 5]
    } else {
        &[4, 4, 4, 4]
    };
    let mut parts = Vec::new();
    let mut at = 0;
    for size in sizes {
        parts.push(&pan[at..at + size]);
        at += size;
    }
    parts.join(sep)
}

fn config(addr: &str) -> String {
    format!(
        r#"default_target: echo
apis:
  shop:
    format: json
targets:
  echo:
    base_url: "http://{URL_USER}:{URL_PASSWORD_ENCODED}@{addr}"
    timeout: 1s
    apis:
      shop:
        auth: {{ header: {{ name: X-Api-Key, value: "${{env:{TOKEN_ENV}}}" }} }}
"#
    )
}

/// The card data of every request body: card numbers in every layout, CVVs under
/// several names, a card number as an object key, and the secrets.
fn card_body(indent: &str, with_wallet: bool) -> String {
    let mut lines = vec![
        "card:".to_string(),
        format!("  number: \"{VISA}\""),
        format!("  spaced: \"{}\"", spaced(VISA)),
        format!("  dashed: \"{}\"", group(MASTERCARD, "-")),
        format!("  amex: \"{}\"", spaced(AMEX)),
        format!("  with_cvv: \"{VISA}{CVV}\""),
        format!("  securityCode: \"{CVV}\""),
        format!("  cardCode: {CVV}"),
        format!("  csc: \"{CVV}\""),
        format!("  cvc2: \"{CVV}\""),
        format!("  card_security_code: \"{CVV}\""),
        "  note: \"${secret}\"".to_string(),
        "  outside: \"${outside}\"".to_string(),
        "  flagged: \"${flagged}\"".to_string(),
        format!("  key: \"${{env:{TOKEN_ENV}}}\""),
    ];
    if with_wallet {
        lines.push(format!("wallet: {{ \"{VISA}\": {{ default: true }} }}"));
    }
    lines
        .iter()
        .map(|l| format!("{indent}{l}\n"))
        .collect::<String>()
}

/// A request step (named with a card number) sending everything, and expecting what
/// the stand-in does not answer unless `pass`.
fn request_step(path: &str, format: &str, body: &str, pass: bool) -> String {
    let expect = if pass { "true" } else { "false" };
    format!(
        r#"  - name: charge {spaced} then {dashed}
    request:
      method: POST
      path: /{path}/{VISA}/cvv/{CVV}/k/${{secret}}
      format: {format}
      query:
        key: ${{secret}}
        outside: ${{outside}}
        flagged: ${{flagged}}
        token: ${{env:{TOKEN_ENV}}}
        card: "{spaced}"
        securityCode: "{CVV}"
      headers:
        X-CVV: "{CVV}"
        X-Card: "{dashed}"
      body:
{body}    expect:
      status: 200
      json:
        $.ok: {expect}
"#,
        spaced = spaced(VISA),
        dashed = group(MASTERCARD, "-"),
    )
}

fn scenario(name: &str, steps: &str) -> String {
    format!(
        "name: {name} with {}\napi: shop\nvars:\n  secret: \"${{env:{SECRET_ENV}}}\"\nsteps:\n{steps}",
        spaced(AMEX)
    )
}

fn write_suite(p: &Project) {
    let json_body = card_body("        ", true);
    p.write(
        "specs/json.yaml",
        &scenario("JSON", &request_step("echo", "json", &json_body, false)),
    );
    p.write(
        "specs/form.yaml",
        &scenario("form", &request_step("echo", "form", &json_body, false)),
    );
    // XML names cannot start with a digit: no card number as a key there.
    p.write(
        "specs/xml.yaml",
        &scenario(
            "XML",
            &request_step("echo", "xml", &card_body("        ", false), false),
        ),
    );
    let raw = format!(
        "        \"number={}&cvv2={CVV}&<cardCode>{CVV}</cardCode>&key=${{secret}}\"\n",
        spaced(VISA)
    );
    p.write(
        "specs/raw.yaml",
        &scenario("raw", &request_step("echo", "raw", &raw, false)),
    );
    p.write(
        "specs/preview.yaml",
        &scenario(
            "preview",
            &request_step("garbage", "json", &json_body, true),
        ),
    );
    p.write(
        "specs/timeout.yaml",
        &scenario("timeout", &request_step("hang", "json", &json_body, true)),
    );
    let hook_body = format!("        url: \"${{webhook_url}}\"\n{json_body}");
    let taken = format!(
        "{}  - name: the card {} is announced\n    expect_webhook:\n      type: card.stored\n      json: {{ $.data.card.note: nothing like it }}\n",
        request_step("hook", "json", &hook_body, true),
        spaced(VISA)
    );
    p.write("specs/webhook_taken.yaml", &scenario("webhook", &taken));
    let missing = format!(
        "{}  - name: a webhook that never comes\n    expect_webhook:\n      type: card.deleted\n      within: 300ms\n",
        request_step("hook", "json", &hook_body, true),
    );
    p.write("specs/webhook_missing.yaml", &scenario("webhook", &missing));
    let snapshot = format!(
        "{}    snapshot: true\n",
        request_step("echo", "json", &json_body, true)
    );
    p.write("specs/snapshot.yaml", &scenario("snapshot", &snapshot));
}

// ---------------------------------------------------------------------------------------
// What must not be found.

/// Every form a secret can take: raw, percent-encoded (`%20` or `+` for a space,
/// either hex case), JSON-escaped (as serde writes it, and as PHP does: `\/` and
/// `\u00e9`), base64 (alone, and in `Basic` credentials).
fn secret_forms(secret: &str) -> Vec<String> {
    let percent = |space: &str, lower: bool| -> String {
        secret
            .bytes()
            .map(|b| match b {
                b' ' => space.to_string(),
                b if b.is_ascii_alphanumeric() => char::from(b).to_string(),
                b if lower => format!("%{b:02x}"),
                b => format!("%{b:02X}"),
            })
            .collect()
    };
    let json = serde_json::to_string(secret).expect("a string");
    let json = &json[1..json.len() - 1];
    let php: String = json
        .chars()
        .map(|c| match c {
            '/' => "\\/".to_string(),
            c if c.is_ascii() => c.to_string(),
            c => format!("\\u{:04x}", u32::from(c)),
        })
        .collect();
    let mut forms = vec![
        secret.to_string(),
        percent("%20", false),
        percent("%20", true),
        percent("+", false),
        percent("+", true),
        form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        json.to_string(),
        php,
        STANDARD.encode(secret),
        URL_SAFE.encode(secret),
        STANDARD.encode(format!("{URL_USER}:{secret}")),
    ];
    forms.sort();
    forms.dedup();
    forms
}

/// Every way a card number is written: contiguous, in groups separated by a space, a
/// dash, `+`, `%20` or `_`, run together with its CVV, base64.
fn pan_forms(pan: &str) -> Vec<String> {
    let mut forms: Vec<String> = [" ", "-", "+", "%20", "_"]
        .iter()
        .map(|sep| group(pan, sep))
        .collect();
    forms.push(pan.to_string());
    forms.push(format!("{pan}{CVV}"));
    forms.push(STANDARD.encode(pan));
    forms
}

/// Whether `text` has `number` not within a longer run of digits.
fn has_number(text: &str, number: &str) -> bool {
    text.match_indices(number).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + number.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// The outputs of a run: stdout, stderr and every file it wrote in the project.
fn outputs(p: &Project, out: &Out, places: &mut Vec<(String, String)>, run: &str) {
    places.push((format!("{run}: stdout"), out.stdout.clone()));
    places.push((format!("{run}: stderr"), out.stderr.clone()));
    for f in p.files() {
        if f != "gatecheck.yaml" && !f.starts_with("specs/") {
            places.push((format!("{run}: {f}"), p.read(&f)));
        }
    }
}

#[test]
fn no_form_of_any_secret_or_card_number_reaches_any_output() {
    let addr = echo_server();
    let p = Project::empty();
    p.write("gatecheck.yaml", &config(&addr));
    write_suite(&p);
    p.write(
        "vars.yaml",
        &format!("outside: \"${{env:{OUTSIDE_ENV}}}\"\n"),
    );
    let flagged = format!("flagged=${{env:{FLAGGED_ENV}}}");
    let outside = ["--vars", "vars.yaml", "--var", flagged.as_str()];

    // First run: writes the snapshot of the one passing scenario.
    let first = run(
        &p,
        &[
            [
                "--snapshots",
                "new",
                "--junit",
                "junit1.xml",
                "--json",
                "run1.json",
            ]
            .as_slice(),
            &outside,
        ]
        .concat(),
    );
    assert_eq!(first.code, 1, "{first}");
    assert!(
        first.stdout.contains("1 passed, 8 failed"),
        "the failing scenarios fail, the snapshot one passes:\n{first}"
    );
    let mut places = Vec::new();
    outputs(&p, &first, &mut places, "first run");
    // Second run: the echo's sequence number changed, so the snapshot is pending.
    let second = run(
        &p,
        &[
            ["--junit", "junit2.xml", "--json", "run2.json"].as_slice(),
            &outside,
        ]
        .concat(),
    );
    assert_eq!(second.code, 1, "{second}");
    outputs(&p, &second, &mut places, "second run");
    let files: Vec<&str> = places.iter().map(|(what, _)| what.as_str()).collect();
    for wanted in [
        "first run: junit1.xml",
        "first run: run1.json",
        "first run: snapshots/snapshot.snap.yaml",
        "second run: junit2.xml",
        "second run: run2.json",
        "second run: snapshots/snapshot.snap.pending.yaml",
    ] {
        assert!(files.contains(&wanted), "{wanted} missing: {files:?}");
    }

    let mut needles: Vec<String> = Vec::new();
    for secret in [SECRET, TOKEN, URL_PASSWORD, OUTSIDE, FLAGGED] {
        needles.extend(secret_forms(secret));
    }
    needles.push(URL_PASSWORD_ENCODED.to_string());
    for pan in [VISA, MASTERCARD, AMEX] {
        needles.extend(pan_forms(pan));
    }
    let mut leaks = Vec::new();
    for (what, text) in &places {
        for needle in &needles {
            if text.contains(needle.as_str()) {
                leaks.push(format!("{what}: {needle:?}"));
            }
        }
        if has_number(text, CVV) {
            leaks.push(format!("{what}: the CVV {CVV}"));
        }
    }
    assert!(
        leaks.is_empty(),
        "leaked:\n{}\n\n--- first run\n{first}\n\n--- second run\n{second}",
        leaks.join("\n")
    );
    // What each failure had to show, so that the search above searched something.
    let console = &second.stdout;
    for shown in [
        "request sent:",
        "answer: 200",
        "the body begins:",
        "no complete answer within 1s",
        "webhook taken:",
        "no card.deleted webhook",
        "snapshot",
        "411111******1111",
        "4111 11** **** 1111",
        "X-CVV: [masked]",
        "[masked]@",
    ] {
        assert!(console.contains(shown), "{shown:?} not shown:\n{second}");
    }
}
