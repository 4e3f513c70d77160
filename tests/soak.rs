//! A bounded soak of the embedded gateway: a few thousand mutated requests (bytes
//! flipped, cut, repeated, nested deep; methods and content types shuffled; Rapyd's
//! correctly signed so they reach its parsers) never get a 5xx, and the gateway still
//! answers a well-formed request correctly afterwards.
//!
//! `SOAK_REQUESTS=200000 SOAK_SEED=7 cargo test --release --test soak` runs a longer one.

#![allow(clippy::unwrap_used)] // A test stops at its first surprise.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use gatecheck::sandbox::{Sandbox, SandboxConfig};
use gatecheck::signature::{RapydKeys, rapyd_request_signature};

const BT_AUTH: &str = "sandbox_public:sandbox_private";
const CB_AUTH: &str = "sandbox_api_key:";
const RAPYD: RapydKeys<'static> = RapydKeys {
    access_key: "sandbox_access",
    secret_key: "sandbox_secret",
};

/// A well-formed request each mutation starts from.
struct Seed {
    method: &'static str,
    path: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const SEEDS: &[Seed] = &[
    Seed {
        method: "POST",
        path: "/merchants/sandbox_merchant/customers",
        content_type: "application/xml",
        body: r#"<customer><first-name>Ada</first-name><credit-card><number>4111111111111111</number><expiration-date>05/2030</expiration-date><options><verify-card type="boolean">true</verify-card></options><billing-address><country-code-alpha2>GB</country-code-alpha2></billing-address></credit-card><custom-fields><store-me>x</store-me></custom-fields></customer>"#,
    },
    Seed {
        method: "POST",
        path: "/merchants/sandbox_merchant/customers",
        content_type: "application/json",
        body: r#"{"customer":{"first_name":"Ada","credit_card":{"number":"5105105105105100","expiration_date":"11/2031","options":{"make_default":true}}}}"#,
    },
    Seed {
        method: "POST",
        path: "/v1/customers",
        content_type: "application/json",
        body: r#"{"name":"Ada","email":"ada@example.com","phone_number":"+14155550100","metadata":{"a":1},"addresses":[{"name":"A","line_1":"1 Main","country":"US"}],"payment_method":{"type":"us_visa_card","fields":{"number":"4111111111111111","expiration_month":"10","expiration_year":"30","cvv":"123"}}}"#,
    },
    Seed {
        method: "POST",
        path: "/api/v2/customers",
        content_type: "application/x-www-form-urlencoded",
        body: "first_name=Ada&email=ada%40example.com&card[number]=4111111111111111&card[expiry_month]=12&card[expiry_year]=2030&payment_method[type]=card&payment_method[reference_id]=tok_1&meta_data[a][b]=1",
    },
];

const FRAGMENTS: &[&[u8]] = &[
    b"[",
    b"]",
    b"{",
    b"}",
    b"<",
    b">",
    b"</",
    b"\"",
    b"&",
    b"=",
    b"%",
    b"%ZZ",
    b"\\u0000",
    b"\xff\xfe",
    b"null",
    b"-1",
    b"1e999",
    b"<a x=\"1\" y=\"2\">",
    b"[a][b][c]",
    b"\x00",
];

fn mutate(rng: &mut StdRng, body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    for _ in 0..rng.random_range(1..=4) {
        let at = rng.random_range(0..=out.len());
        match rng.random_range(0..7) {
            0 if !out.is_empty() => {
                let i = rng.random_range(0..out.len());
                out[i] ^= 1 << rng.random_range(0..8);
            }
            1 => {
                let f = FRAGMENTS[rng.random_range(0..FRAGMENTS.len())];
                out.splice(at..at, f.iter().copied());
            }
            2 => {
                let end = rng.random_range(at..=out.len());
                out.drain(at..end);
            }
            3 => {
                let end = rng.random_range(at..=out.len().min(at + 64));
                let piece = out[at..end].to_vec();
                for _ in 0..rng.random_range(1..50) {
                    out.splice(at..at, piece.iter().copied());
                }
            }
            4 => {
                // Deep nesting, each format's way.
                let unit: &[u8] = match rng.random_range(0..3) {
                    0 => b"[",
                    1 => b"<a>",
                    _ => b"[x]",
                };
                let depth = rng.random_range(100..3000);
                let deep: Vec<u8> = unit
                    .iter()
                    .copied()
                    .cycle()
                    .take(unit.len() * depth)
                    .collect();
                out.splice(at..at, deep);
            }
            5 => out.truncate(at),
            _ => out.push(rng.random()),
        }
    }
    out
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn mutated_requests_never_get_a_5xx_and_the_gateway_keeps_working() {
    let requests: usize = std::env::var("SOAK_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let seed: u64 = std::env::var("SOAK_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let base = sandbox.base_url();
    let client = reqwest::Client::new();
    let basic = |creds: &str| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(creds)
        )
    };
    let mut rng = StdRng::seed_from_u64(seed);
    let content_types = [
        "application/xml",
        "application/json",
        "application/x-www-form-urlencoded",
        "text/plain",
        "application/json; charset=utf-16",
    ];
    for n in 0..requests {
        let seed_request = &SEEDS[rng.random_range(0..SEEDS.len())];
        let body = mutate(&mut rng, seed_request.body.as_bytes());
        let method = if rng.random_ratio(1, 5) {
            ["GET", "PUT", "DELETE", "PATCH"][rng.random_range(0..4)]
        } else {
            seed_request.method
        };
        let content_type = if rng.random_ratio(1, 5) {
            content_types[rng.random_range(0..content_types.len())]
        } else {
            seed_request.content_type
        };
        let mut request = client
            .request(
                method.parse().unwrap(),
                format!("{base}{}", seed_request.path),
            )
            .header("content-type", content_type)
            .header("x-apiversion", "6")
            .body(body.clone());
        if seed_request.path.starts_with("/merchants") {
            request = request.header("authorization", basic(BT_AUTH));
        } else if seed_request.path.starts_with("/api/v2") {
            request = request.header("authorization", basic(CB_AUTH));
        } else if let Ok(text) = std::str::from_utf8(&body) {
            let (salt, timestamp) = ("s0ak5alt", now().to_string());
            let signature =
                rapyd_request_signature(RAPYD, method, seed_request.path, salt, &timestamp, text);
            request = request
                .header("access_key", RAPYD.access_key)
                .header("salt", salt)
                .header("timestamp", timestamp)
                .header("signature", signature);
        }
        let response = request.send().await.unwrap_or_else(|e| {
            panic!(
                "request {n} (seed {seed}) got no answer: {e}; body {:?}",
                String::from_utf8_lossy(&body)
            )
        });
        assert!(
            response.status().as_u16() < 500,
            "request {n} (seed {seed}): {} {method} {} {content_type} {:?}",
            response.status(),
            seed_request.path,
            String::from_utf8_lossy(&body)
        );
    }
    // Still itself: a well-formed create and find.
    let created = client
        .post(format!("{base}/merchants/sandbox_merchant/customers"))
        .header("authorization", basic(BT_AUTH))
        .header("content-type", "application/xml")
        .header("x-apiversion", "6")
        .body("<customer><id>after-soak</id><first-name>Ada</first-name></customer>")
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let found = client
        .get(format!(
            "{base}/merchants/sandbox_merchant/customers/after-soak"
        ))
        .header("authorization", basic(BT_AUTH))
        .header("x-apiversion", "6")
        .send()
        .await
        .unwrap();
    assert_eq!(found.status().as_u16(), 200);
    assert!(
        found
            .text()
            .await
            .unwrap()
            .contains("<first-name>Ada</first-name>")
    );
    sandbox.shutdown().await;
}
