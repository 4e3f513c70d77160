//! The embedded Braintree gateway over HTTP, driven with the requests Braintree's
//! official clients send (see /work/shared/braintree-wire.md).

#![allow(clippy::unwrap_used)] // A test stops at its first surprise.

use std::io::Read;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use flate2::read::GzDecoder;
use gatecheck::sandbox::{BraintreeCredentials, Sandbox, SandboxConfig};
use gatecheck::wire::xml;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

const M: &str = "/merchants/sandbox_merchant";

struct Answer {
    status: StatusCode,
    headers: header::HeaderMap,
    body: String,
}

impl Answer {
    fn tree(&self) -> Value {
        xml::decode(&self.body).unwrap_or_else(|e| panic!("{e}\n{}", self.body))
    }

    /// All error codes of an `<api-error-response>`, depth first.
    fn error_codes(&self) -> Vec<String> {
        fn walk(node: &Value, out: &mut Vec<String>) {
            if let Some(map) = node.as_object() {
                for (key, value) in map {
                    if key == "errors" && value.is_array() {
                        for e in value.as_array().into_iter().flatten() {
                            out.push(e["code"].as_str().unwrap_or_default().to_string());
                        }
                    } else {
                        walk(value, out);
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.tree()["api_error_response"]["errors"], &mut out);
        out
    }
}

struct Api {
    sandbox: Sandbox,
    client: reqwest::Client,
    auth: String,
}

impl Api {
    async fn start() -> Api {
        let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
        // No automatic decompression: the tests look at Content-Encoding themselves.
        let client = reqwest::Client::builder().no_gzip().build().unwrap();
        let auth = format!(
            "Basic {}",
            STANDARD.encode("sandbox_public:sandbox_private")
        );
        Api {
            sandbox,
            client,
            auth,
        }
    }

    async fn raw(
        &self,
        method: Method,
        path: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.sandbox.base_url()))
            .body(body.to_string());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap();
        let body = if headers
            .get(header::CONTENT_ENCODING)
            .is_some_and(|v| v == "gzip")
        {
            let mut out = String::new();
            GzDecoder::new(&bytes[..]).read_to_string(&mut out).unwrap();
            out
        } else {
            String::from_utf8(bytes.to_vec()).unwrap()
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    /// A request as the Python client sends it.
    async fn send(&self, method: Method, path: &str, body: &str) -> Answer {
        let auth = self.auth.clone();
        self.raw(
            method,
            &format!("{M}{path}"),
            body,
            &[
                ("Authorization", &auth),
                ("Accept", "application/xml"),
                ("Content-Type", "application/xml"),
                ("X-ApiVersion", "6"),
                ("Accept-Encoding", "gzip"),
            ],
        )
        .await
    }
}

const CREATE_C1: &str = "<customer><id>c1</id><first_name>Ada</first_name><credit_card><number>4111111111111111</number><expiration_date>05/2030</expiration_date><cvv>123</cvv><billing_address><street_address>1 Old St</street_address><postal_code>60606</postal_code></billing_address></credit_card></customer>";

fn assert_no_pan_or_cvv(answer: &Answer) {
    for secret in ["4111111111111111", "5105105105105100", "<cvv>", ">123<"] {
        assert!(!answer.body.contains(secret), "{secret} in {}", answer.body);
    }
}

#[tokio::test]
async fn create_find_and_delete_a_customer_as_the_python_client_does() {
    let api = Api::start().await;
    let created = api.send(Method::POST, "/customers", CREATE_C1).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(
        created.headers[header::CONTENT_TYPE],
        "application/xml; charset=utf-8"
    );
    assert_eq!(created.headers[header::CONTENT_ENCODING], "gzip");
    assert_no_pan_or_cvv(&created);
    assert!(created.body.contains("<credit-cards type=\"array\">"));
    assert!(
        created
            .body
            .contains("<expired type=\"boolean\">false</expired>")
    );
    assert!(created.body.contains("<created-at type=\"datetime\">"));
    assert!(created.body.contains("<last-name nil=\"true\"/>"));
    assert!(!created.body.contains("payment-methods"));

    let tree = created.tree();
    let customer = &tree["customer"];
    assert_eq!(customer["id"], "c1");
    assert_eq!(customer["first_name"], "Ada");
    assert_eq!(customer["merchant_id"], "sandbox_merchant");
    assert_eq!(customer["last_name"], Value::Null);
    let card = &customer["credit_cards"][0];
    assert_eq!(card["bin"], "411111");
    assert_eq!(card["last_4"], "1111");
    // Clients compute these; the Python client fails when they are sent.
    assert!(card.get("masked_number").is_none());
    assert!(card.get("expiration_date").is_none());
    assert_eq!(card["card_type"], "Visa");
    assert_eq!(card["expiration_month"], "05");
    assert_eq!(card["expiration_year"], "2030");
    assert_eq!(card["default"], true);
    assert_eq!(card["expired"], false);
    assert_eq!(card["customer_id"], "c1");
    assert_eq!(card["cardholder_name"], Value::Null);
    assert_eq!(card["billing_address"]["street_address"], "1 Old St");
    let token = card["token"].as_str().unwrap().to_string();
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric()), "{token}");
    let address_id = customer["addresses"][0]["id"].as_str().unwrap().to_string();
    assert!(address_id.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(card["billing_address"]["id"], address_id.as_str());

    let found = api.send(Method::GET, "/customers/c1", "").await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.tree(), tree);

    let pm = api
        .send(Method::GET, &format!("/payment_methods/any/{token}"), "")
        .await;
    assert_eq!(pm.status, StatusCode::OK);
    assert_eq!(pm.tree()["credit_card"]["token"], token.as_str());
    let address = api
        .send(
            Method::GET,
            &format!("/customers/c1/addresses/{address_id}"),
            "",
        )
        .await;
    assert_eq!(address.tree()["address"]["postal_code"], "60606");

    let deleted = api.send(Method::DELETE, "/customers/c1", "").await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(deleted.body, "");
    assert!(deleted.headers.get(header::CONTENT_ENCODING).is_none());
    for path in [
        "/customers/c1".to_string(),
        format!("/payment_methods/any/{token}"),
        format!("/customers/c1/addresses/{address_id}"),
    ] {
        let gone = api.send(Method::GET, &path, "").await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(gone.body, "");
    }
    let again = api.send(Method::DELETE, "/customers/c1", "").await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    api.sandbox.shutdown().await;
}

#[tokio::test]
async fn update_follows_the_documented_semantics() {
    let api = Api::start().await;
    let create = CREATE_C1.replace("<cvv>", "<token>the_token</token><cvv>");
    assert_eq!(
        api.send(Method::POST, "/customers", &create).await.status,
        StatusCode::CREATED
    );
    let old_address =
        api.send(Method::GET, "/customers/c1", "").await.tree()["customer"]["addresses"][0]["id"]
            .clone();

    // Update the existing card and its billing address in place (recorded request).
    let update = "<customer><email>new.email@example.com</email><credit_card><cardholder_name>New Cardholder Name</cardholder_name><number>5105105105105100</number><expiration_date>08/2012</expiration_date><options><update_existing_token>the_token</update_existing_token><verify_card type=\"boolean\">true</verify_card></options><billing_address><street_address>New Street Address</street_address><postal_code>60622</postal_code><options><update_existing type=\"boolean\">true</update_existing></options></billing_address></credit_card></customer>";
    // 5105105105105100 is one of Braintree's "fails sandbox verification" cards, so
    // with verify_card the whole update is refused and nothing changes.
    let declined = api.send(Method::PUT, "/customers/c1", update).await;
    assert_eq!(
        declined.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        declined.body
    );
    assert_no_pan_or_cvv(&declined);
    let body = declined.tree()["api_error_response"].clone();
    assert!(declined.error_codes().is_empty());
    assert_eq!(body["message"], "Do Not Honor");
    assert_eq!(body["verification"]["status"], "processor_declined");
    assert_eq!(body["verification"]["processor_response_code"], "2000");
    assert_eq!(body["verification"]["credit_card"]["token"], "the_token");
    assert_eq!(body["verification"]["credit_card"]["last_4"], "5100");
    let unchanged = api.send(Method::GET, "/customers/c1", "").await.tree()["customer"].clone();
    assert_eq!(unchanged["email"], Value::Null);
    assert_eq!(unchanged["credit_cards"][0]["last_4"], "1111");

    // The same request with a card that verifies.
    let update = update.replace("5105105105105100", "5555555555554444");
    let updated = api.send(Method::PUT, "/customers/c1", &update).await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_no_pan_or_cvv(&updated);
    let customer = updated.tree()["customer"].clone();
    assert_eq!(customer["first_name"], "Ada", "unsent fields stay");
    assert_eq!(customer["email"], "new.email@example.com");
    assert_eq!(customer["credit_cards"].as_array().unwrap().len(), 1);
    let card = &customer["credit_cards"][0];
    assert_eq!(card["token"], "the_token");
    assert_eq!(card["card_type"], "MasterCard");
    assert_eq!(card["cardholder_name"], "New Cardholder Name");
    assert_eq!(card["expired"], true);
    assert_eq!(card["billing_address"]["id"], old_address);
    assert_eq!(
        card["billing_address"]["street_address"],
        "New Street Address"
    );
    assert_eq!(customer["addresses"].as_array().unwrap().len(), 1);
    let verification = &card["verifications"][0];
    assert_eq!(verification["status"], "verified");
    assert_eq!(verification["amount"], "0.00");
    assert_eq!(
        verification["merchant_account_id"],
        "sandbox_merchant_account"
    );
    assert_eq!(verification["avs_postal_code_response_code"], "M");

    // Without update_existing: a new address for the card; the old one stays.
    let update = "<customer><credit_card><options><update_existing_token>the_token</update_existing_token></options><billing_address><street_address>2 New Rd</street_address></billing_address></credit_card></customer>";
    let customer = api.send(Method::PUT, "/customers/c1", update).await.tree()["customer"].clone();
    let addresses = customer["addresses"].as_array().unwrap();
    assert_eq!(addresses.len(), 2);
    assert_eq!(addresses[0]["id"], old_address);
    assert_ne!(
        customer["credit_cards"][0]["billing_address"]["id"],
        old_address
    );
    assert_eq!(
        customer["credit_cards"][0]["billing_address"]["street_address"],
        "2 New Rd"
    );

    // Without update_existing_token: a second card, not the default, no billing address.
    let update = "<customer><credit_card><number>5105105105105100</number><expiration_date>11/2031</expiration_date></credit_card></customer>";
    let answer = api.send(Method::PUT, "/customers/c1", update).await;
    let customer = answer.tree()["customer"].clone();
    let cards = customer["credit_cards"].as_array().unwrap();
    assert_eq!(cards.len(), 2);
    assert_eq!(cards[1]["default"], false);
    assert!(cards[1].get("billing_address").is_none());
    let second = cards[1]["token"].as_str().unwrap().to_string();

    // Recorded request: default token, custom fields, international phone.
    let update = format!(
        "<customer><default_payment_method_token>{second}</default_payment_method_token><custom_fields><color>blue</color></custom_fields><international_phone><country_code>1</country_code><national_number>3121234567</national_number></international_phone></customer>"
    );
    let customer = api.send(Method::PUT, "/customers/c1", &update).await.tree()["customer"].clone();
    assert_eq!(customer["credit_cards"][1]["default"], true);
    assert_eq!(customer["credit_cards"][0]["default"], false);
    assert_eq!(customer["custom_fields"], json!({"color": "blue"}));
    assert_eq!(
        customer["international_phone"],
        json!({"country_code": "1", "national_number": "3121234567"})
    );

    // Unknown customer.
    let missing = api
        .send(Method::PUT, "/customers/nobody", "<customer/>")
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn ruby_style_dashed_names_with_a_declaration_and_plain_booleans() {
    let api = Api::start().await;
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<customer>\n  <first-name>Grace</first-name>\n  <credit-card>\n    <number>378282246310005</number>\n    <expiration-month>12</expiration-month>\n    <expiration-year>2031</expiration-year>\n    <cvv>1234</cvv>\n    <options><make-default>true</make-default></options>\n  </credit-card>\n</customer>\n";
    let created = api.send(Method::POST, "/customers", body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert!(!created.body.contains("1234</"));
    let customer = created.tree()["customer"].clone();
    assert_eq!(customer["first_name"], "Grace");
    assert!(
        customer["id"]
            .as_str()
            .unwrap()
            .bytes()
            .all(|b| b.is_ascii_digit())
    );
    assert_eq!(customer["credit_cards"][0]["card_type"], "American Express");
    assert_eq!(customer["credit_cards"][0]["default"], true);
    assert_eq!(customer["addresses"], json!([]));
    assert!(created.body.contains("<addresses type=\"array\"/>"));
}

#[tokio::test]
async fn validation_reports_every_error_with_real_codes() {
    let api = Api::start().await;
    let long = "x".repeat(256);
    let body = format!(
        "<customer><id>all</id><first_name>{long}</first_name><email>not-an-email</email><website>not a site</website><credit_card><number>4111111111111112</number><cvv>12</cvv><expiration_date>13/2030</expiration_date><cardholder_name>{}</cardholder_name><billing_address><street_address>{long}</street_address><postal_code>6062!</postal_code></billing_address></credit_card></customer>",
        "y".repeat(176)
    );
    let answer = api.send(Method::POST, "/customers", &body).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.headers[header::CONTENT_ENCODING], "gzip");
    assert_no_pan_or_cvv(&answer);
    assert!(!answer.body.contains("4111111111111112"));
    assert!(
        answer.body.contains("<code>81608</code>"),
        "code is plain text"
    );
    assert!(
        answer
            .body
            .contains("<attribute type=\"symbol\">first_name</attribute>")
    );
    let mut codes = answer.error_codes();
    codes.sort();
    let mut expected = vec![
        "91611", "81608", "81604", "81616", // customer
        "81723", "81715", "81707", "81710", // credit card
        "81812", "81813", // billing address
    ];
    expected.sort();
    assert_eq!(codes, expected);

    let tree = answer.tree();
    let doc = &tree["api_error_response"];
    assert_eq!(doc["errors"]["errors"], json!([]));
    let card_errors = &doc["errors"]["customer"]["credit_card"];
    assert!(
        card_errors["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["attribute"] == "number")
    );
    assert_eq!(
        card_errors["billing_address"]["errors"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let message = doc["message"].as_str().unwrap();
    assert_eq!(message.lines().count(), 10);
    assert!(message.contains("Credit card number is invalid."));
    assert_eq!(doc["params"]["customer"]["id"], "all");
    assert!(
        doc["params"]["customer"]["credit_card"]
            .get("number")
            .is_none()
    );
    assert!(
        doc["params"]["customer"]["credit_card"]
            .get("cvv")
            .is_none()
    );

    // Nothing was stored.
    let missing = api.send(Method::GET, "/customers/all", "").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn update_validations() {
    let api = Api::start().await;
    api.send(Method::POST, "/customers", CREATE_C1).await;
    api.send(
        Method::POST,
        "/customers",
        "<customer><id>c2</id></customer>",
    )
    .await;

    let taken = api
        .send(
            Method::PUT,
            "/customers/c1",
            "<customer><id>c2</id></customer>",
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(taken.error_codes(), ["91609"]);

    let unknown_token = "<customer><credit_card><options><update_existing_token>nope</update_existing_token></options></credit_card></customer>";
    let answer = api.send(Method::PUT, "/customers/c1", unknown_token).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.error_codes(), ["91723"]);
    assert_eq!(
        answer.tree()["api_error_response"]["errors"]["customer"]["credit_card"]["options"]["errors"]
            [0]["attribute"],
        "update_existing_token"
    );

    let new_card_without_number = "<customer><credit_card><expiration_date>05/2030</expiration_date></credit_card></customer>";
    let answer = api
        .send(Method::PUT, "/customers/c1", new_card_without_number)
        .await;
    assert_eq!(answer.error_codes(), ["81714"]);

    let short = "<customer><credit_card><number>41111111111</number><expiration_date>05/2030</expiration_date></credit_card></customer>";
    assert_eq!(
        api.send(Method::PUT, "/customers/c1", short)
            .await
            .error_codes(),
        ["81716"]
    );

    // The failed updates changed nothing.
    let customer = api.send(Method::GET, "/customers/c1", "").await.tree()["customer"].clone();
    assert_eq!(customer["credit_cards"].as_array().unwrap().len(), 1);

    // Renaming works and the old id is gone.
    let renamed = api
        .send(
            Method::PUT,
            "/customers/c1",
            "<customer><id>c3</id></customer>",
        )
        .await;
    assert_eq!(renamed.tree()["customer"]["id"], "c3");
    assert_eq!(
        renamed.tree()["customer"]["credit_cards"][0]["customer_id"],
        "c3"
    );
    assert_eq!(
        api.send(Method::GET, "/customers/c1", "").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn authentication_and_routing() {
    let api = Api::start().await;
    let path = format!("{M}/customers/c1");
    let no_auth = api.raw(Method::GET, &path, "", &[]).await;
    assert_eq!(no_auth.status, StatusCode::UNAUTHORIZED);
    let wrong = format!("Basic {}", STANDARD.encode("sandbox_public:wrong"));
    let bad = api
        .raw(Method::GET, &path, "", &[("Authorization", &wrong)])
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    let auth = api.auth.clone();
    let other_merchant = api
        .raw(
            Method::GET,
            "/merchants/other/customers/c1",
            "",
            &[("Authorization", &auth)],
        )
        .await;
    assert_eq!(other_merchant.status, StatusCode::UNAUTHORIZED);
    let unknown_path = api.send(Method::GET, "/transactions/t1", "").await;
    assert_eq!(unknown_path.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn custom_credentials_are_honoured() {
    let config = SandboxConfig {
        braintree: BraintreeCredentials {
            merchant_id: "m2".into(),
            public_key: "pub".into(),
            private_key: "priv".into(),
        },
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(config).await.unwrap();
    let response = reqwest::Client::new()
        .post(format!("{}/merchants/m2/customers", sandbox.base_url()))
        .basic_auth("pub", Some("priv"))
        .body("<customer/>")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    // reqwest's own gzip handling decodes the answer.
    let tree = xml::decode(&response.text().await.unwrap()).unwrap();
    assert_eq!(tree["customer"]["merchant_id"], "m2");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn gzip_only_when_accepted_and_malformed_bodies_are_400() {
    let api = Api::start().await;
    let auth = api.auth.clone();
    let plain = api
        .raw(
            Method::POST,
            &format!("{M}/customers"),
            "<customer><first-name>Ada</first-name></customer>",
            &[("Authorization", &auth)],
        )
        .await;
    assert_eq!(plain.status, StatusCode::CREATED);
    assert!(plain.headers.get(header::CONTENT_ENCODING).is_none());
    assert!(plain.body.starts_with("<?xml"));

    for bad in [
        "<customer><first_name>Ada</customer>",
        "<customer><first_name><x>1</x></first_name></customer>",
        "<address><street_address>x</street_address></address>",
        "<customer><credit_card><options><make_default>perhaps</make_default></options></credit_card></customer>",
        "<customer><n type=\"integer\">x</n></customer>",
    ] {
        let answer = api.send(Method::POST, "/customers", bad).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(!answer.body.is_empty());
    }
}

#[tokio::test]
async fn addresses_endpoint_creates_and_limits() {
    let api = Api::start().await;
    api.send(
        Method::POST,
        "/customers",
        "<customer><id>c1</id></customer>",
    )
    .await;
    let created = api
        .send(
            Method::POST,
            "/customers/c1/addresses",
            "<address><street_address>9 Other Rd</street_address></address>",
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.tree()["address"]["customer_id"], "c1");
    let blank = api
        .send(Method::POST, "/customers/c1/addresses", "<address/>")
        .await;
    assert_eq!(blank.error_codes(), ["81801"]);
    for _ in 1..50 {
        let ok = api
            .send(
                Method::POST,
                "/customers/c1/addresses",
                "<address><locality>Chicago</locality></address>",
            )
            .await;
        assert_eq!(ok.status, StatusCode::CREATED);
    }
    let full = api
        .send(
            Method::POST,
            "/customers/c1/addresses",
            "<address><locality>Chicago</locality></address>",
        )
        .await;
    assert_eq!(full.error_codes(), ["91818"]);
    let no_customer = api
        .send(
            Method::POST,
            "/customers/zz/addresses",
            "<address><locality>x</locality></address>",
        )
        .await;
    assert_eq!(no_customer.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn payment_method_update_as_the_python_client_sends_it() {
    let api = Api::start().await;
    let create = CREATE_C1.replace("<cvv>", "<token>the_token</token><cvv>");
    assert_eq!(
        api.send(Method::POST, "/customers", &create).await.status,
        StatusCode::CREATED
    );
    let second = "<customer><credit_card><token>second</token><number>5105105105105100</number><expiration_date>11/2031</expiration_date></credit_card></customer>";
    api.send(Method::PUT, "/customers/c1", second).await;
    let address_id =
        api.send(Method::GET, "/customers/c1", "").await.tree()["customer"]["addresses"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();

    // Recorded request: billing_address_id and make_default.
    let body = format!(
        "<payment_method><billing_address_id>{address_id}</billing_address_id><options><make_default type=\"boolean\">true</make_default></options></payment_method>"
    );
    let answer = api
        .send(Method::PUT, "/payment_methods/any/second", &body)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let card = answer.tree()["credit_card"].clone();
    assert_eq!(card["token"], "second");
    assert_eq!(card["default"], true);
    assert_eq!(card["billing_address"]["id"], address_id.as_str());

    // Recorded request: update_existing changes the shared address for both cards.
    let body = "<payment_method><billing_address><street_address>100 Maple Lane</street_address><options><update_existing type=\"boolean\">true</update_existing></options></billing_address></payment_method>";
    let answer = api
        .send(Method::PUT, "/payment_methods/any/the_token", body)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let customer = api.send(Method::GET, "/customers/c1", "").await.tree()["customer"].clone();
    for card in customer["credit_cards"].as_array().unwrap() {
        assert_eq!(card["billing_address"]["street_address"], "100 Maple Lane");
    }
    assert_eq!(customer["credit_cards"][0]["default"], false);
    assert_eq!(customer["addresses"].as_array().unwrap().len(), 1);

    // Card fields, CVV checked but never echoed, a rename.
    let body = "<payment_method><token>renamed</token><number>4111111111111111</number><cvv>123</cvv><expiration_month>12</expiration_month><expiration_year>2033</expiration_year><cardholder_name>Ada L</cardholder_name></payment_method>";
    let answer = api
        .send(Method::PUT, "/payment_methods/any/second", body)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_no_pan_or_cvv(&answer);
    let card = answer.tree()["credit_card"].clone();
    assert_eq!(card["token"], "renamed");
    assert_eq!(card["last_4"], "1111");
    assert_eq!(card["expiration_year"], "2033");
    assert_eq!(card["cardholder_name"], "Ada L");
    let old = api
        .send(Method::GET, "/payment_methods/any/second", "")
        .await;
    assert_eq!(old.status, StatusCode::NOT_FOUND);

    // Errors sit under credit_card; params leave the number out.
    let body = "<payment_method><number>4111111111111111</number><options><fail_on_duplicate_payment_method_for_customer type=\"boolean\">true</fail_on_duplicate_payment_method_for_customer></options></payment_method>";
    let answer = api
        .send(Method::PUT, "/payment_methods/any/renamed", body)
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_no_pan_or_cvv(&answer);
    let tree = answer.tree();
    let errors = &tree["api_error_response"]["errors"]["credit_card"]["errors"];
    assert_eq!(errors[0]["code"], "81763");
    assert_eq!(errors[0]["attribute"], "number");
    assert!(
        tree["api_error_response"]["params"]["payment_method"]
            .get("number")
            .is_none()
    );

    // Unknown token: 404, empty. Wrong keys: 401.
    let missing = api
        .send(
            Method::PUT,
            "/payment_methods/any/nope",
            "<payment_method/>",
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body, "");
    let wrong = format!("Basic {}", STANDARD.encode("sandbox_public:wrong"));
    let denied = api
        .raw(
            Method::PUT,
            &format!("{M}/payment_methods/any/renamed"),
            "<payment_method/>",
            &[("Authorization", &wrong)],
        )
        .await;
    assert_eq!(denied.status, StatusCode::UNAUTHORIZED);
    api.sandbox.shutdown().await;
}

impl Api {
    /// A request as the Node client sends it: a JSON body, XML answers.
    async fn send_json(&self, method: Method, path: &str, body: &Value) -> Answer {
        let auth = self.auth.clone();
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        self.raw(
            method,
            &format!("{M}{path}"),
            &body,
            &[
                ("Authorization", &auth),
                ("Accept", "application/xml"),
                ("Content-Type", "application/json"),
                ("X-ApiVersion", "6"),
                ("User-Agent", "Braintree Node 3.40.0"),
                ("Accept-Encoding", "gzip"),
            ],
        )
        .await
    }
}

#[tokio::test]
async fn node_json_bodies_mean_what_the_xml_ones_mean() {
    let api = Api::start().await;
    let create = json!({"customer": {
        "id": "n1", "first_name": "Ada", "last_name": "Lovelace",
        "custom_fields": {"store_me": "x"},
        "credit_card": {
            "token": "n1card", "number": "4111111111111111",
            "expiration_month": 5, "expiration_year": 2030, "cvv": "123",
            "billing_address": {"street_address": "1 Old St", "postal_code": "60606"},
            "options": {"verify_card": true, "verification_amount": 1.5}
        }
    }});
    let created = api.send_json(Method::POST, "/customers", &create).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(
        created.headers[header::CONTENT_TYPE],
        "application/xml; charset=utf-8"
    );
    assert_no_pan_or_cvv(&created);
    let customer = created.tree()["customer"].clone();
    let card = &customer["credit_cards"][0];
    assert_eq!(card["expiration_month"], "05");
    assert_eq!(card["verifications"][0]["amount"], "1.50");
    assert_eq!(customer["custom_fields"]["store_me"], "x");

    // The Node client's update: nested options with a native boolean; null clears.
    let update = json!({"customer": {
        "last_name": null,
        "email": "new.email@example.com",
        "credit_card": {
            "cardholder_name": "New Cardholder Name",
            "number": "5555555555554444", "expiration_date": "08/2031",
            "options": {"update_existing_token": "n1card", "verify_card": true},
            "billing_address": {
                "street_address": "New Street Address", "postal_code": "60622",
                "options": {"update_existing": true}
            }
        }
    }});
    let updated = api.send_json(Method::PUT, "/customers/n1", &update).await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    let customer = updated.tree()["customer"].clone();
    assert_eq!(customer["last_name"], Value::Null);
    assert_eq!(customer["first_name"], "Ada");
    assert_eq!(customer["credit_cards"].as_array().unwrap().len(), 1);
    assert_eq!(customer["credit_cards"][0]["last_4"], "4444");
    assert_eq!(customer["addresses"].as_array().unwrap().len(), 1);
    assert_eq!(
        customer["addresses"][0]["street_address"],
        "New Street Address"
    );

    // Validation errors come back as the XML error document, as for XML requests.
    let bad = json!({"customer": {"email": "nope", "credit_card": {"options": {"update_existing_token": "nope"}}}});
    let refused = api.send_json(Method::PUT, "/customers/n1", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.error_codes(), ["81604", "91723"]);
    assert_eq!(
        refused.tree()["api_error_response"]["params"]["customer"]["email"],
        "nope"
    );

    // GETs and DELETEs carry the JSON content type and no body.
    let found = api
        .send_json(Method::GET, "/customers/n1", &Value::Null)
        .await;
    assert_eq!(found.status, StatusCode::OK);
    let deleted = api
        .send_json(Method::DELETE, "/customers/n1", &Value::Null)
        .await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(deleted.body, "");
}

#[tokio::test]
async fn malformed_json_gets_braintrees_error_document() {
    let api = Api::start().await;
    let auth = api.auth.clone();
    let deep = format!(
        "{{\"customer\":{}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    for bad in [
        "{\"customer\": {\"first_name\": ",
        "{\"customer\": {\"first_name\": {\"x\": 1}}}",
        "{\"address\": {}}",
        "[]",
        deep.as_str(),
    ] {
        let answer = api
            .raw(
                Method::POST,
                &format!("{M}/customers"),
                bad,
                &[
                    ("Authorization", &auth),
                    ("Content-Type", "application/json"),
                ],
            )
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad:.40}");
        assert_eq!(
            answer.headers[header::CONTENT_TYPE],
            "application/xml; charset=utf-8"
        );
        let tree = answer.tree();
        assert_eq!(tree["api_error_response"]["errors"]["errors"], json!([]));
        assert!(
            !tree["api_error_response"]["message"]
                .as_str()
                .unwrap()
                .is_empty()
        );
    }
    // Without a content type, a body starting with `{` is read as JSON.
    let sniffed = api
        .raw(
            Method::POST,
            &format!("{M}/customers"),
            "{\"customer\": {\"first_name\": \"Ada\"}}",
            &[("Authorization", &auth)],
        )
        .await;
    assert_eq!(sniffed.status, StatusCode::CREATED, "{}", sniffed.body);
}

#[tokio::test]
async fn an_outdated_api_version_is_426() {
    let api = Api::start().await;
    let auth = api.auth.clone();
    for (version, status) in [
        ("3", StatusCode::UPGRADE_REQUIRED),
        ("six", StatusCode::UPGRADE_REQUIRED),
        ("4", StatusCode::NOT_FOUND),
        ("6", StatusCode::NOT_FOUND),
    ] {
        let answer = api
            .raw(
                Method::GET,
                &format!("{M}/customers/none"),
                "",
                &[("Authorization", &auth), ("X-ApiVersion", version)],
            )
            .await;
        assert_eq!(answer.status, status, "X-ApiVersion {version}");
        assert_eq!(answer.body, "");
    }
}
