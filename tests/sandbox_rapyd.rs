//! The embedded Rapyd gateway over HTTP, driven with signed requests as Rapyd's clients
//! send them (signatures from `gatecheck::signature`).

#![allow(clippy::unwrap_used)] // A test stops at its first surprise.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::post;
use gatecheck::sandbox::{RapydSettings, Sandbox, SandboxConfig};
use gatecheck::signature::{RapydKeys, rapyd_request_signature, rapyd_webhook_signature};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const KEYS: RapydKeys<'static> = RapydKeys {
    access_key: "sandbox_access",
    secret_key: "sandbox_secret",
};

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

struct Answer {
    status: StatusCode,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }

    fn data(&self) -> Value {
        let body = self.json();
        assert_eq!(body["status"]["status"], "SUCCESS", "{}", self.text);
        body["data"].clone()
    }

    /// Asserts a refusal in Rapyd's form: only `status`, with the code twice.
    fn assert_error(&self, status: StatusCode, code: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        let body = self.json();
        let s = &body["status"];
        assert_eq!(s["status"], "ERROR", "{}", self.text);
        assert_eq!(s["error_code"], code, "{}", self.text);
        assert_eq!(s["response_code"], code);
        assert!(s["operation_id"].as_str().is_some_and(|id| !id.is_empty()));
        assert!(body.get("data").is_none(), "{}", self.text);
    }
}

/// Header overrides for one request: `None` leaves a header out.
#[derive(Default)]
struct Auth {
    timestamp: Option<String>,
    signature: Option<String>,
    access_key: Option<String>,
    omit: Option<&'static str>,
    idempotency: Option<String>,
}

struct Api {
    sandbox: Sandbox,
    client: reqwest::Client,
}

impl Api {
    async fn start() -> Api {
        Api::with(RapydSettings::default()).await
    }

    async fn with(rapyd: RapydSettings) -> Api {
        let config = SandboxConfig {
            rapyd,
            ..SandboxConfig::default()
        };
        Api {
            sandbox: Sandbox::start(config).await.unwrap(),
            client: reqwest::Client::new(),
        }
    }

    async fn raw(&self, method: Method, path: &str, body: &str, auth: Auth) -> Answer {
        let timestamp = auth.timestamp.unwrap_or_else(|| now().to_string());
        let salt = "a1b2c3d4e5f6";
        let signature = auth.signature.unwrap_or_else(|| {
            rapyd_request_signature(KEYS, method.as_str(), path, salt, &timestamp, body)
        });
        let access_key = auth.access_key.unwrap_or_else(|| KEYS.access_key.into());
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.sandbox.base_url()))
            .header("content-type", "application/json");
        for (name, value) in [
            ("access_key", access_key.as_str()),
            ("salt", salt),
            ("timestamp", timestamp.as_str()),
            ("signature", signature.as_str()),
        ] {
            if auth.omit != Some(name) {
                request = request.header(name, value);
            }
        }
        if let Some(key) = auth.idempotency {
            request = request.header("idempotency", key);
        }
        if !body.is_empty() {
            request = request.body(body.to_string());
        }
        let response = request.send().await.unwrap();
        Answer {
            status: response.status(),
            text: response.text().await.unwrap(),
        }
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        self.raw(method, path, &body, Auth::default()).await
    }

    async fn ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let answer = self.call(method, path, body).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        answer.data()
    }

    async fn customer(&self, body: Value) -> Value {
        self.ok(Method::POST, "/v1/customers", Some(body)).await
    }

    async fn update(&self, id: &str, body: Value) -> Answer {
        self.call(Method::POST, &format!("/v1/customers/{id}"), Some(body))
            .await
    }

    async fn add_method(&self, customer: &str, body: Value) -> Value {
        let path = format!("/v1/customers/{customer}/payment_methods");
        self.ok(Method::POST, &path, Some(body)).await
    }
}

fn visa() -> Value {
    json!({"type": "us_visa_card", "fields": {
        "number": "4111111111111111", "expiration_month": "12", "expiration_year": "25",
        "cvv": "345", "name": "John Doe"
    }})
}

fn ach() -> Value {
    json!({"type": "us_ach_bank", "metadata": {"merchant_defined": true}, "fields": {
        "last_name": "Doe", "first_name": "John", "company_name": "Acme",
        "account_number": "retetert-345345345345-ertretretert-34534534t",
        "routing_number": "2345345345345345", "payment_purpose": "goods",
        "proof_of_authorization": false
    }})
}

/// The keys (in order) and value types of a JSON tree, to compare shapes.
fn shape(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
        Value::String(_) => json!("string"),
        Value::Number(_) => json!("number"),
        Value::Bool(_) => json!("boolean"),
        Value::Null => json!("null"),
    }
}

/// `data` of the document's "Add Default Payment Method" answer.
const DOC_DEFAULT_PM: &str = r#"{
  "id": "cus_d3ed65d5091a8398cc3651bcedec1201", "delinquent": false, "discount": null,
  "name": "John Doe", "default_payment_method": "card_0ef22c3b9fa5991a4da957d3dcee2e7b",
  "description": "", "email": "johndoe1@rapyd.net", "phone_number": "+14155559983",
  "invoice_prefix": "JD-", "addresses": [],
  "payment_methods": {"data": [
    {"id": "card_0ef22c3b9fa5991a4da957d3dcee2e7b", "type": "us_visa_card", "category": "card",
     "metadata": {}, "image": "https://iconslib.rapyd.net/checkout/us_visa_card.png",
     "webhook_url": "", "supporting_documentation": "", "next_action": "3d_verification",
     "name": "John Doe", "last4": "1111", "acs_check": "unchecked", "cvv_check": "unchecked",
     "bin_details": {"type": null, "brand": null, "country": null, "bin_number": "411111"},
     "expiration_year": "25", "expiration_month": "12",
     "fingerprint_token": "ocfp_e599f990674473ce6283b245e9ad2467"},
    {"id": "other_bc428c38988a5d5aa5a09b79f32b2b15", "type": "us_ach_bank",
     "category": "bank_transfer", "metadata": {"merchant_defined": true},
     "image": "https://iconslib.rapyd.net/checkout/us_ach_bank.png", "webhook_url": "",
     "supporting_documentation": "", "next_action": "not_applicable", "last_name": "Doe",
     "first_name": "John", "company_name": "Acme",
     "account_number": "retetert-345345345345-ertretretert-34534534t",
     "routing_number": "2345345345345345", "payment_purpose": "goods",
     "proof_of_authorization": false}],
    "has_more": false, "total_count": 2,
    "url": "/v1/customers/cus_d3ed65d5091a8398cc3651bcedec1201/payment_methods"},
  "subscriptions": null, "created_at": 1634217004, "metadata": {"merchant_defined": true},
  "business_vat_id": "123456789", "ewallet": "ewallet_0430df85c650a9a0a87f677d281b3f59"
}"#;

/// `data` of the document's "Add Discount" answer.
const DOC_DISCOUNT: &str = r#"{
  "id": "cus_c62e8561f1f9217676819dce60accc08", "delinquent": false,
  "discount": {"id": "dis_d41d8cd98f00b204e9800998ecf8427e",
    "coupon": {"id": "coupon_4ab30530e8a7352ffe715deecfab57b9", "amount_off": 2,
      "created": 1646825743, "currency": "USD", "duration": "forever", "duration_in_months": 0,
      "max_redemptions": 1, "metadata": {"merchant_defined": true}, "percent_off": 0,
      "redeem_by": 0, "times_redeemed": 0, "discount_valid_until": 0,
      "discount_validity_in_months": 0, "discount_duration_in_uses": 0, "description": "",
      "valid": true},
    "end": -1, "start": 1646834885, "subscription": "", "number_of_uses": 0, "valid": true},
  "name": "John Doe", "default_payment_method": "", "description": "",
  "email": "john_doe@rapyd.net", "phone_number": "", "invoice_prefix": "", "addresses": [],
  "payment_methods": {"data": [
    {"id": "other_83f8ce8cd8cfb19bb61758b224c55cfe", "type": "us_psc_cash", "category": "cash",
     "metadata": {}, "image": "https://iconslib.rapyd.net/checkout/us_psc_cash.png",
     "webhook_url": "", "supporting_documentation": "", "next_action": "not_applicable"}],
    "has_more": false, "total_count": 1,
    "url": "/v1/customers/cus_c62e8561f1f9217676819dce60accc08/payment_methods"},
  "subscriptions": null, "created_at": 1616316203, "metadata": {}, "business_vat_id": "",
  "ewallet": ""
}"#;

#[tokio::test]
async fn the_documents_default_payment_method_example() {
    let api = Api::start().await;
    let customer = api
        .customer(json!({
            "name": "John Doe", "email": "johndoe1@rapyd.net", "phone_number": "+14155559983",
            "invoice_prefix": "JD-", "metadata": {"merchant_defined": true},
            "business_vat_id": "123456789", "ewallet": "ewallet_0430df85c650a9a0a87f677d281b3f59"
        }))
        .await;
    let id = customer["id"].as_str().unwrap();
    assert!(id.starts_with("cus_") && id.len() == 36, "{id}");
    assert_eq!(customer["default_payment_method"], "");
    let card = api.add_method(id, visa()).await;
    api.add_method(id, ach()).await;
    let card_id = card["id"].as_str().unwrap();
    assert!(card_id.starts_with("card_"));

    let answer = api
        .update(id, json!({"default_payment_method": card_id}))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let body = answer.json();
    assert_eq!(
        shape(&body["status"]),
        json!({"error_code": "string", "status": "string", "message": "string",
               "response_code": "string", "operation_id": "string"})
    );
    assert_eq!(body["status"]["error_code"], "");
    let data = answer.data();
    let mut doc: Value = serde_json::from_str(DOC_DEFAULT_PM).unwrap();
    // This example shows no brand; the gateway fills it from the BIN, as Rapyd's Create
    // Payment example does (`"brand": "VISA"`).
    doc["payment_methods"]["data"][0]["bin_details"]["brand"] = json!("VISA");
    assert_eq!(shape(&data), shape(&doc), "{data:#}");
    assert_eq!(
        data["payment_methods"]["data"][0]["bin_details"]["brand"],
        "VISA"
    );
    assert_eq!(data["default_payment_method"], card_id);
    for field in [
        "name",
        "email",
        "phone_number",
        "invoice_prefix",
        "metadata",
        "business_vat_id",
        "ewallet",
    ] {
        assert_eq!(data[field], doc[field], "{field}");
    }
    let methods = &data["payment_methods"]["data"];
    for (i, field) in [
        (0, "last4"),
        (0, "bin_details"),
        (0, "expiration_year"),
        (1, "account_number"),
        (1, "category"),
    ] {
        assert_eq!(
            methods[i][field], doc["payment_methods"]["data"][i][field],
            "{field}"
        );
    }
    assert!(!answer.text.contains("4111111111111111") && !answer.text.contains("\"cvv\""));
    // The retrieve answer is the same customer.
    let found = api
        .ok(Method::GET, &format!("/v1/customers/{id}"), None)
        .await;
    assert_eq!(found, data);
}

#[tokio::test]
async fn the_documents_discount_example() {
    let api = Api::start().await;
    let coupon = api
        .ok(
            Method::POST,
            "/v1/coupons",
            Some(json!({
                "amount_off": 2, "currency": "USD", "duration": "forever", "max_redemptions": 1,
                "metadata": {"merchant_defined": true}
            })),
        )
        .await;
    let coupon_id = coupon["id"].as_str().unwrap();
    assert!(coupon_id.starts_with("coupon_"));
    let customer = api
        .customer(json!({"name": "John Doe", "email": "john_doe@rapyd.net"}))
        .await;
    let id = customer["id"].as_str().unwrap();
    api.add_method(id, json!({"type": "us_psc_cash"})).await;

    let answer = api.update(id, json!({"coupon": coupon_id})).await;
    let data = answer.data();
    let doc: Value = serde_json::from_str(DOC_DISCOUNT).unwrap();
    assert_eq!(shape(&data), shape(&doc), "{data:#}");
    let discount = &data["discount"];
    assert!(discount["id"].as_str().unwrap().starts_with("dis_"));
    assert_eq!(discount["coupon"]["id"], coupon_id);
    for field in [
        "amount_off",
        "currency",
        "duration",
        "max_redemptions",
        "percent_off",
        "valid",
    ] {
        assert_eq!(
            discount["coupon"][field], doc["discount"]["coupon"][field],
            "{field}"
        );
    }
    assert_eq!(discount["end"], -1);
    assert_eq!(data["default_payment_method"], "");

    // An empty coupon removes the discount; an unknown one is refused.
    let cleared = api.update(id, json!({"coupon": ""})).await.data();
    assert_eq!(cleared["discount"], Value::Null);
    api.update(id, json!({"coupon": "coupon_nope"}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "ERROR_GET_COUPON");
    let expired = api
        .ok(
            Method::POST,
            "/v1/coupons",
            Some(json!({"percent_off": 10, "redeem_by": 1_000_000})),
        )
        .await;
    api.update(id, json!({"coupon": expired["id"]}))
        .await
        .assert_error(
            StatusCode::BAD_REQUEST,
            "ERROR_COUPON_WAS_USED_OR_OUT_OF_DATE",
        );
    let got = api
        .ok(Method::GET, &format!("/v1/coupons/{coupon_id}"), None)
        .await;
    assert_eq!(got["amount_off"], 2);
    api.call(Method::GET, "/v1/coupons/coupon_nope", None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "ERROR_GET_COUPON");
}

#[tokio::test]
async fn update_changes_only_what_is_sent_and_empty_strings_clear() {
    let api = Api::start().await;
    let c = api
        .customer(
            json!({"name": "Jane", "email": "jane@example.com", "description": "vip",
            "invoice_prefix": "JA-", "business_vat_id": "42", "metadata": {"tier": "gold"},
            "phone_number": "+442071838750"}),
        )
        .await;
    let id = c["id"].as_str().unwrap();
    let several = api
        .update(
            id,
            json!({"name": "Jane Roe", "description": "regular", "email": ""}),
        )
        .await
        .data();
    assert_eq!(several["name"], "Jane Roe");
    assert_eq!(several["description"], "regular");
    assert_eq!(several["email"], "");
    assert_eq!(several["invoice_prefix"], "JA-");
    assert_eq!(several["metadata"], json!({"tier": "gold"}));
    let cleared = api
        .update(
            id,
            json!({"metadata": "", "phone_number": "", "invoice_prefix": "",
            "business_vat_id": ""}),
        )
        .await
        .data();
    assert_eq!(cleared["metadata"], json!({}));
    assert_eq!(cleared["phone_number"], "");
    assert_eq!(cleared["invoice_prefix"], "");
    assert_eq!(cleared["business_vat_id"], "");
    assert_eq!(cleared["name"], "Jane Roe");
    assert_eq!(cleared["created_at"], c["created_at"]);
}

#[tokio::test]
async fn field_validation_refuses_and_changes_nothing() {
    let api = Api::start().await;
    let a = api
        .customer(json!({"name": "A", "ewallet": "ewallet_aaa"}))
        .await;
    let b = api.customer(json!({"name": "B"})).await;
    let (a, b) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    let cases = [
        (
            json!({"phone_number": "4155559983", "name": "X"}),
            "INVALID_PHONE_NUMBER",
        ),
        (
            json!({"phone_number": "+1 415 555"}),
            "INVALID_PHONE_NUMBER",
        ),
        (json!({"ewallet": "wallet_123"}), "ERROR_INVALID_EWALLET"),
        (
            json!({"ewallet": "ewallet_aaa"}),
            "ERROR_CREATE_CUSTOMER_EWALLET_ALREADY_IN_USE",
        ),
        (json!({"name": 5}), "INVALID_FIELDS"),
        (json!({"metadata": [1]}), "INVALID_FIELDS"),
        (
            json!({"addresses": [{"line_1": "1 Main St"}]}),
            "INVALID_ADDRESS_NAME",
        ),
        (
            json!({"addresses": [{"name": "B"}]}),
            "INVALID_ADDRESS_LINE_1",
        ),
        (
            json!({"addresses": [{"name": "B", "line_1": "x", "phone_number": "12"}]}),
            "INVALID_ADDRESS_PHONE_NUMBER",
        ),
    ];
    for (body, code) in cases {
        api.update(b, body.clone())
            .await
            .assert_error(StatusCode::BAD_REQUEST, code);
    }
    let still = api
        .ok(Method::GET, &format!("/v1/customers/{b}"), None)
        .await;
    assert_eq!(still["name"], "B");
    assert_eq!(still["ewallet"], "");
    // The wallet's own customer may send it again.
    api.update(a, json!({"ewallet": "ewallet_aaa"}))
        .await
        .data();
    let raw = api
        .raw(
            Method::POST,
            &format!("/v1/customers/{b}"),
            "not json",
            Auth::default(),
        )
        .await;
    raw.assert_error(StatusCode::BAD_REQUEST, "INVALID_FIELDS");
}

#[tokio::test]
async fn default_payment_method_must_be_the_customers_own() {
    let api = Api::start().await;
    let a = api.customer(json!({"name": "A"})).await;
    let b = api.customer(json!({"name": "B"})).await;
    let (a, b) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    let a_card = api.add_method(a, visa()).await;
    let b_other = api.add_method(b, json!({"type": "us_psc_cash"})).await;
    assert!(b_other["id"].as_str().unwrap().starts_with("other_"));

    api.update(a, json!({"default_payment_method": "pm_123"}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "INVALID_PAYMENT_METHOD");
    api.update(
        a,
        json!({"default_payment_method": "card_00000000000000000000000000000000"}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "INVALID_PAYMENT_METHOD");
    api.update(a, json!({"default_payment_method": b_other["id"]}))
        .await
        .assert_error(
            StatusCode::BAD_REQUEST,
            "ERROR_DEFAULT_PAYMENT_METHOD_BELONGS_TO_DIFFERENT_CUSTOMER",
        );
    let unchanged = api
        .ok(Method::GET, &format!("/v1/customers/{a}"), None)
        .await;
    assert_eq!(unchanged["default_payment_method"], "");
    let other = api
        .update(b, json!({"default_payment_method": b_other["id"]}))
        .await
        .data();
    assert_eq!(other["default_payment_method"], b_other["id"]);
    let set = api
        .update(a, json!({"default_payment_method": a_card["id"]}))
        .await
        .data();
    assert_eq!(set["default_payment_method"], a_card["id"]);
    let cleared = api
        .update(a, json!({"default_payment_method": ""}))
        .await
        .data();
    assert_eq!(cleared["default_payment_method"], "");
}

#[tokio::test]
async fn unknown_customers_and_unknown_endpoints() {
    let api = Api::start().await;
    let missing = "cus_00000000000000000000000000000000";
    api.update(missing, json!({"name": "x"}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "ERROR_GET_CUSTOMER");
    for method in [Method::GET, Method::DELETE] {
        api.call(method, &format!("/v1/customers/{missing}"), None)
            .await
            .assert_error(StatusCode::NOT_FOUND, "ERROR_GET_CUSTOMER");
    }
    api.call(Method::GET, "/v1/nothing/here", None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "UNAUTHORIZED_API_CALL");
    api.call(
        Method::PUT,
        &format!("/v1/customers/{missing}"),
        Some(json!({})),
    )
    .await
    .assert_error(StatusCode::UNAUTHORIZED, "UNAUTHORIZED_API_CALL");
}

#[tokio::test]
async fn create_with_a_payment_method_addresses_then_delete() {
    let api = Api::start().await;
    let c = api
        .customer(json!({"name": "Ann", "payment_method": visa(),
            "addresses": [{"name": "Ann", "line_1": "1 Main St", "city": "Austin", "zip": "73301",
                "phone_number": "+15125550100"}]}))
        .await;
    let id = c["id"].as_str().unwrap();
    let card = &c["payment_methods"]["data"][0];
    assert_eq!(
        c["default_payment_method"], card["id"],
        "the first payment method is the default"
    );
    assert_eq!(c["addresses"][0]["city"], "Austin");
    assert!(
        c["addresses"][0]["id"]
            .as_str()
            .unwrap()
            .starts_with("address_")
    );
    let more = api
        .update(
            id,
            json!({"addresses": [{"name": "Ann", "line_1": "2 Side St"}]}),
        )
        .await
        .data();
    assert_eq!(more["addresses"].as_array().unwrap().len(), 2);
    let none = api.update(id, json!({"addresses": ""})).await.data();
    assert_eq!(none["addresses"], json!([]));

    let other = api.add_method(id, json!({"type": "us_psc_cash"})).await;
    let list_path = format!("/v1/customers/{id}/payment_methods");
    let list = api.ok(Method::GET, &list_path, None).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    let one = api
        .ok(
            Method::GET,
            &format!("{list_path}/{}", other["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(one, other);
    let card_path = format!("{list_path}/{}", card["id"].as_str().unwrap());
    api.call(Method::DELETE, &card_path, None)
        .await
        .assert_error(
            StatusCode::BAD_REQUEST,
            "DELETE_CUSTOMER_DEFAULT_PAYMENT_METHOD_NOT_ALLOWED",
        );
    let gone = api
        .ok(
            Method::DELETE,
            &format!("{list_path}/{}", other["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(gone, json!({"deleted": true, "id": other["id"]}));

    let bad_card = json!({"type": "us_visa_card", "fields": {"number": "4111111111111112",
        "expiration_month": "12", "expiration_year": "29"}});
    api.call(Method::POST, &list_path, Some(bad_card))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "ERROR_CREATE_PAYMENT_METHOD");

    let deleted = api
        .ok(Method::DELETE, &format!("/v1/customers/{id}"), None)
        .await;
    assert_eq!(deleted, json!({"deleted": true, "id": id}));
    api.call(Method::GET, &format!("/v1/customers/{id}"), None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "ERROR_GET_CUSTOMER");
    api.call(Method::GET, &card_path, None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "ERROR_GET_CUSTOMER");
}

#[tokio::test]
async fn authentication_failures() {
    let api = Api::start().await;
    let path = "/v1/customers?limit=1";
    let get = |auth| api.raw(Method::GET, path, "", auth);
    assert_eq!(get(Auth::default()).await.status, StatusCode::OK);
    for name in ["access_key", "salt", "timestamp", "signature"] {
        get(Auth {
            omit: Some(name),
            ..Auth::default()
        })
        .await
        .assert_error(StatusCode::BAD_REQUEST, "MISSING_AUTHENTICATION_HEADERS");
    }
    get(Auth {
        timestamp: Some("yesterday".into()),
        ..Auth::default()
    })
    .await
    .assert_error(StatusCode::BAD_REQUEST, "MISSING_AUTHENTICATION_HEADERS");

    let unauthenticated =
        |answer: Answer| answer.assert_error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED_API_CALL");
    unauthenticated(
        get(Auth {
            signature: Some("bm90IGEgc2lnbmF0dXJl".into()),
            ..Auth::default()
        })
        .await,
    );
    unauthenticated(
        get(Auth {
            access_key: Some("someone_else".into()),
            ..Auth::default()
        })
        .await,
    );
    // A stale or future timestamp, each with an otherwise valid signature.
    unauthenticated(
        get(Auth {
            timestamp: Some((now() - 120).to_string()),
            ..Auth::default()
        })
        .await,
    );
    unauthenticated(
        get(Auth {
            timestamp: Some((now() + 120).to_string()),
            ..Auth::default()
        })
        .await,
    );

    // The query is signed; an absent body signs as "", never "{}".
    let ts = now().to_string();
    let without_query =
        rapyd_request_signature(KEYS, "get", "/v1/customers", "a1b2c3d4e5f6", &ts, "");
    unauthenticated(
        get(Auth {
            timestamp: Some(ts.clone()),
            signature: Some(without_query),
            ..Auth::default()
        })
        .await,
    );
    let braces = rapyd_request_signature(KEYS, "get", path, "a1b2c3d4e5f6", &ts, "{}");
    unauthenticated(
        get(Auth {
            timestamp: Some(ts.clone()),
            signature: Some(braces),
            ..Auth::default()
        })
        .await,
    );

    // base64 of the raw digest instead of the hex text.
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(KEYS.secret_key.as_bytes()).unwrap();
    mac.update(format!("get{path}a1b2c3d4e5f6{ts}sandbox_accesssandbox_secret").as_bytes());
    let raw = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    unauthenticated(
        get(Auth {
            timestamp: Some(ts),
            signature: Some(raw),
            ..Auth::default()
        })
        .await,
    );

    // A body changed after signing.
    let body = json!({"name": "Eve"}).to_string();
    let ts = now().to_string();
    let signed = rapyd_request_signature(KEYS, "post", "/v1/customers", "a1b2c3d4e5f6", &ts, &body);
    let tampered = api
        .raw(
            Method::POST,
            "/v1/customers",
            r#"{"name":"Mallory"}"#,
            Auth {
                timestamp: Some(ts),
                signature: Some(signed),
                ..Auth::default()
            },
        )
        .await;
    unauthenticated(tampered);
    let list = api.ok(Method::GET, "/v1/customers", None).await;
    assert_eq!(list, json!([]), "refused requests create nothing");
}

#[tokio::test]
async fn the_same_idempotency_key_replays_the_first_answer_and_applies_once() {
    let api = Api::start().await;
    let key = || Auth {
        idempotency: Some("idem-1".into()),
        ..Auth::default()
    };
    let body = json!({"name": "Once"}).to_string();
    let first = api.raw(Method::POST, "/v1/customers", &body, key()).await;
    let second = api.raw(Method::POST, "/v1/customers", &body, key()).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(second.status, first.status);
    assert_eq!(
        second.text, first.text,
        "byte for byte, operation_id included"
    );
    // Only the header counts: another body with the same key still replays.
    let other = json!({"name": "Twice"}).to_string();
    let third = api.raw(Method::POST, "/v1/customers", &other, key()).await;
    assert_eq!(third.text, first.text);
    let list = api.ok(Method::GET, "/v1/customers", None).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");

    // Refusals are replayed too, and another key is another request.
    let id = first.data()["id"].as_str().unwrap().to_string();
    let path = format!("/v1/customers/{id}");
    let refused = api
        .raw(
            Method::POST,
            &path,
            r#"{"phone_number":"5"}"#,
            Auth {
                idempotency: Some("idem-2".into()),
                ..Auth::default()
            },
        )
        .await;
    refused.assert_error(StatusCode::BAD_REQUEST, "INVALID_PHONE_NUMBER");
    let again = api
        .raw(
            Method::POST,
            &path,
            r#"{"phone_number":"+15125550100"}"#,
            Auth {
                idempotency: Some("idem-2".into()),
                ..Auth::default()
            },
        )
        .await;
    assert_eq!(again.text, refused.text);
    let fresh = api
        .raw(
            Method::POST,
            &path,
            r#"{"phone_number":"+15125550100"}"#,
            Auth {
                idempotency: Some("idem-3".into()),
                ..Auth::default()
            },
        )
        .await;
    assert_eq!(fresh.data()["phone_number"], "+15125550100");
}

/// A webhook receiver on 127.0.0.1: each delivery's headers and body on a channel.
async fn receiver() -> (String, mpsc::UnboundedReceiver<(HeaderMap, String)>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let app = Router::new().route(
        "/hooks/rapyd",
        post(move |headers: HeaderMap, body: String| {
            let tx = tx.clone();
            async move {
                let _ = tx.send((headers, body));
                "ok"
            }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks/rapyd", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, rx)
}

async fn next_webhook(rx: &mut mpsc::UnboundedReceiver<(HeaderMap, String)>, url: &str) -> Value {
    let (headers, body) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("no webhook within 10 s")
        .expect("receiver closed");
    let header = |name: &str| headers[name].to_str().unwrap().to_string();
    assert_eq!(header("access_key"), "sandbox_access");
    assert!(header("content-type").starts_with("application/json"));
    let expected = rapyd_webhook_signature(KEYS, url, &header("salt"), &header("timestamp"), &body);
    assert_eq!(header("signature"), expected, "webhook signature");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn webhooks_are_signed_and_sent_once_per_change() {
    let (url, mut rx) = receiver().await;
    let api = Api::with(RapydSettings {
        webhook_url: Some(url.clone()),
        ..RapydSettings::default()
    })
    .await;
    let created = api
        .call(Method::POST, "/v1/customers", Some(json!({"name": "Hook"})))
        .await;
    let hook = next_webhook(&mut rx, &url).await;
    assert_eq!(hook["type"], "CUSTOMER_CREATED");
    assert_eq!(hook["data"], created.data());
    let id = created.data()["id"].as_str().unwrap().to_string();

    let auth = || Auth {
        idempotency: Some("hook-1".into()),
        ..Auth::default()
    };
    let body = json!({"email": "hook@example.com"}).to_string();
    let path = format!("/v1/customers/{id}");
    let updated = api.raw(Method::POST, &path, &body, auth()).await;
    let hook = next_webhook(&mut rx, &url).await;
    assert!(hook["id"].as_str().unwrap().starts_with("wh_"));
    assert_eq!(hook["type"], "CUSTOMER_UPDATED");
    assert_eq!(hook["status"], "NEW");
    assert!(hook["created_at"].as_u64().is_some());
    assert_eq!(hook["data"], updated.data());
    assert_eq!(
        hook["trigger_operation_id"],
        updated.json()["status"]["operation_id"]
    );

    // A replay sends nothing: the next webhook is the delete's.
    let replayed = api.raw(Method::POST, &path, &body, auth()).await;
    assert_eq!(replayed.text, updated.text);
    api.ok(Method::DELETE, &path, None).await;
    let hook = next_webhook(&mut rx, &url).await;
    assert_eq!(hook["type"], "CUSTOMER_DELETED");
    assert_eq!(hook["data"], json!({"deleted": true, "id": id}));
}

#[tokio::test]
async fn a_receiver_that_is_down_does_not_change_the_answer() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/down", listener.local_addr().unwrap());
    drop(listener);
    let api = Api::with(RapydSettings {
        webhook_url: Some(url),
        ..RapydSettings::default()
    })
    .await;
    let c = api.customer(json!({"name": "Calm"})).await;
    let updated = api
        .update(c["id"].as_str().unwrap(), json!({"name": "Still calm"}))
        .await;
    assert_eq!(updated.data()["name"], "Still calm");
}

#[tokio::test]
async fn other_keys_are_configurable() {
    let api = Api::with(RapydSettings {
        access_key: "ak_other".into(),
        secret_key: "sk_other".into(),
        webhook_url: None,
    })
    .await;
    // Requests signed with the default keys no longer pass.
    api.call(Method::GET, "/v1/customers", None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED_API_CALL");
    let keys = RapydKeys {
        access_key: "ak_other",
        secret_key: "sk_other",
    };
    let ts = now().to_string();
    let signature = rapyd_request_signature(keys, "get", "/v1/customers", "a1b2c3d4e5f6", &ts, "");
    let ok = api
        .raw(
            Method::GET,
            "/v1/customers",
            "",
            Auth {
                timestamp: Some(ts),
                signature: Some(signature),
                access_key: Some("ak_other".into()),
                ..Auth::default()
            },
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
}
