//! The embedded Chargebee gateway over HTTP, driven with the form bodies and headers
//! Chargebee's official clients send.

#![allow(clippy::unwrap_used)] // A test stops at its first surprise.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use gatecheck::project::Project;
use gatecheck::sandbox::{ChargebeeSettings, Gateways, Sandbox, SandboxConfig};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct Api {
    sandbox: Sandbox,
    client: reqwest::Client,
    key: String,
}

struct Answer {
    status: StatusCode,
    content_type: String,
    body: Value,
}

impl Api {
    async fn start() -> Api {
        let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
        Api {
            sandbox,
            client: reqwest::Client::new(),
            key: "sandbox_api_key".into(),
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> Answer {
        let url = format!("{}/api/v2{path}", self.sandbox.base_url());
        let auth = STANDARD.encode(format!("{}:", self.key));
        let mut request = self
            .client
            .request(method, url)
            .header("Authorization", format!("Basic {auth}"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.to_string());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        Answer {
            status,
            content_type,
            body,
        }
    }

    async fn post(&self, path: &str, body: &str) -> Answer {
        self.send(Method::POST, path, body, &[]).await
    }

    async fn update(&self, id: &str, body: &str) -> Answer {
        self.post(&format!("/customers/{id}/update_payment_method"), body)
            .await
    }

    async fn customer(&self, id: &str) -> Answer {
        let a = self
            .post("/customers", &format!("id={id}&first_name=Ada"))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        a
    }
}

/// The `param` and `error_code` of a 400, checking the rest of the error document.
fn bad_param(a: &Answer) -> (String, String) {
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    assert_eq!(a.body["type"], "invalid_request", "{}", a.body);
    assert_eq!(a.body["api_error_code"], "param_wrong_value", "{}", a.body);
    assert_eq!(a.body["http_status_code"], 400);
    let param = a.body["param"].as_str().unwrap_or_default().to_string();
    assert_eq!(a.body["error_param"], param.as_str());
    let message = a.body["message"].as_str().unwrap_or_default();
    assert!(message.starts_with(&format!("{param} : ")), "{message}");
    (
        param,
        a.body["error_code"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

#[tokio::test]
async fn authentication_uses_the_key_as_user_name() {
    let mut api = Api::start().await;
    assert_eq!(
        api.customer("a1").await.content_type,
        "application/json;charset=utf-8"
    );
    api.key = "wrong".into();
    let a = api.send(Method::GET, "/customers/a1", "", &[]).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.body["api_error_code"], "api_authentication_failed");
    assert_eq!(a.body["http_status_code"], 401);
    assert!(a.body.get("type").is_none(), "{}", a.body);
    let url = format!("{}/api/v2/customers/a1", api.sandbox.base_url());
    let none = reqwest::get(url).await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_sandbox_started_for_chargebee_alone_serves_no_other_gateway() {
    let sandbox = Sandbox::start(SandboxConfig {
        serves: Gateways::named(["chargebee"]),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let api = Api {
        sandbox,
        client: reqwest::Client::new(),
        key: "sandbox_api_key".into(),
    };
    assert_eq!(api.post("/customers", "").await.status, StatusCode::OK);
    // A Braintree customer create that the full sandbox answers with 201.
    let braintree_create = |base: String| {
        api.client
            .post(format!("{base}/merchants/sandbox_merchant/customers"))
            .basic_auth("sandbox_public", Some("sandbox_private"))
            .header("X-ApiVersion", "6")
            .header("Content-Type", "application/xml")
            .body("<customer><first-name>Ada</first-name></customer>")
            .send()
    };
    let refused = braintree_create(api.sandbox.base_url()).await.unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let full = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let served = braintree_create(full.base_url()).await.unwrap();
    assert_eq!(served.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn configured_key_and_gatecheck_yaml() {
    let sandbox = Sandbox::start(SandboxConfig {
        chargebee: ChargebeeSettings {
            api_key: "other_key".into(),
        },
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let mut api = Api {
        sandbox,
        client: reqwest::Client::new(),
        key: "sandbox_api_key".into(),
    };
    assert_eq!(
        api.post("/customers", "").await.status,
        StatusCode::UNAUTHORIZED
    );
    api.key = "other_key".into();
    assert_eq!(api.post("/customers", "").await.status, StatusCode::OK);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gatecheck.yaml");
    std::fs::write(
        &path,
        "apis: { chargebee: { format: form } }\ntargets:\n  embedded:\n    embedded: true\n    apis:\n      chargebee:\n        auth: { basic: { username: yaml_key } }\n",
    )
    .unwrap();
    let project = Project::load(&path).unwrap();
    assert_eq!(
        project.sandbox_config("embedded").chargebee.api_key,
        "yaml_key"
    );
}

#[tokio::test]
async fn create_retrieve_and_unknown_ids() {
    let api = Api::start().await;
    let a = api
        .post(
            "/customers",
            "first_name=Ada&last_name=Lovelace&email=ada%40example.com&auto_collection=off",
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let c = &a.body["customer"];
    let id = c["id"].as_str().unwrap();
    assert_eq!(id.len(), 16);
    assert_eq!(c["object"], "customer");
    assert_eq!(c["auto_collection"], "off");
    assert_eq!(c["card_status"], "no_card");
    assert_eq!(c["deleted"], false);
    assert!(c["resource_version"].as_u64().unwrap() > c["created_at"].as_u64().unwrap());
    assert!(c.get("payment_method").is_none());
    let r = api
        .send(Method::GET, &format!("/customers/{id}"), "", &[])
        .await;
    assert_eq!(r.body, a.body);

    let dup = api.post("/customers", &format!("id={id}")).await;
    assert_eq!(dup.status, StatusCode::BAD_REQUEST);
    assert_eq!(dup.body["api_error_code"], "duplicate_entry");
    assert_eq!(dup.body["param"], "id");

    let missing = api.send(Method::GET, "/customers/nobody", "", &[]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body["api_error_code"], "resource_not_found");
    assert_eq!(missing.body["type"], "invalid_request");
    let missing = api
        .update(
            "nobody",
            "payment_method[type]=card&payment_method[reference_id]=cus_1",
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let nowhere = api.send(Method::GET, "/plans", "", &[]).await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    assert_eq!(nowhere.body["api_error_code"], "resource_not_found");
    let wrong_method = api
        .send(Method::DELETE, &format!("/customers/{id}"), "", &[])
        .await;
    assert_eq!(wrong_method.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn card_reference_on_default_and_named_gateways() {
    let api = Api::start().await;
    api.customer("c1").await;
    // Percent-encoded brackets, as the official clients send them.
    let a = api
        .update(
            "c1",
            "payment_method%5Btype%5D=card&payment_method%5Breference_id%5D=cus_63MnDn0t6kfDW7%2Fcard_6WjCF20vT9WN1G&payment_method%5Bissuing_country%5D=GB",
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let pm = &a.body["customer"]["payment_method"];
    assert_eq!(
        pm,
        &json!({"object": "payment_method", "type": "card", "reference_id": "cus_63MnDn0t6kfDW7/card_6WjCF20vT9WN1G", "gateway": "stripe", "gateway_account_id": "gw_stripe", "status": "valid"})
    );
    assert_eq!(a.body["customer"]["card_status"], "valid");
    let card = &a.body["card"];
    assert_eq!(card["masked_number"], "************1111");
    assert_eq!(card["issuing_country"], "GB");
    assert_eq!(card["customer_id"], "c1");
    assert_eq!(
        card["payment_source_id"],
        a.body["customer"]["primary_payment_source_id"]
    );
    let r = api.send(Method::GET, "/customers/c1", "", &[]).await;
    assert_eq!(r.body, a.body);

    let b = api
        .update(
            "c1",
            "payment_method[type]=card&payment_method[gateway]=braintree&payment_method[reference_id]=bt_customer_1",
        )
        .await;
    assert_eq!(
        b.body["customer"]["payment_method"]["gateway_account_id"],
        "gw_braintree"
    );
    assert_eq!(
        b.body["customer"]["payment_method"]["reference_id"],
        "bt_customer_1"
    );
    let s = api
        .update(
            "c1",
            "payment_method[type]=card&payment_method[gateway_account_id]=gw_spreedly&payment_method[reference_id]=1rpKvP8zOUhj4Y9EDrIoIYQzzD5",
        )
        .await;
    assert_eq!(s.body["customer"]["payment_method"]["gateway"], "worldpay");
}

#[tokio::test]
async fn payment_method_rules() {
    let api = Api::start().await;
    api.customer("r1").await;
    let cases: [(&str, &str, &str); 12] = [
        ("", "payment_method[type]", "param_blank"),
        (
            "payment_method[type]=cheque",
            "payment_method[type]",
            "param_invalid",
        ),
        (
            "payment_method[type]=card",
            "payment_method[reference_id]",
            "param_blank",
        ),
        (
            "payment_method[type]=card&payment_method[tmp_token]=tok_visa",
            "payment_method[tmp_token]",
            "param_not_required",
        ),
        (
            "payment_method[type]=card&payment_method[reference_id]=tok_visa",
            "payment_method[reference_id]",
            "param_invalid",
        ),
        (
            "payment_method[type]=direct_debit&payment_method[reference_id]=MD0001&payment_method[tmp_token]=t",
            "payment_method[tmp_token]",
            "param_not_required",
        ),
        (
            "payment_method[type]=direct_debit&payment_method[reference_id]=cus_1",
            "payment_method[reference_id]",
            "param_invalid",
        ),
        (
            "payment_method[type]=amazon_payments&payment_method[tmp_token]=x",
            "payment_method[tmp_token]",
            "param_not_required",
        ),
        (
            "payment_method[type]=paypal_express_checkout&payment_method[reference_id]=I-1",
            "payment_method[reference_id]",
            "param_invalid",
        ),
        (
            "payment_method[type]=card&payment_method[reference_id]=cus_1&payment_method[issuing_country]=UK",
            "payment_method[issuing_country]",
            "param_invalid",
        ),
        (
            "payment_method[type]=card&payment_method[gateway]=adyen&payment_method[reference_id]=x",
            "payment_method[gateway]",
            "param_invalid",
        ),
        (
            "payment_method[type]=card&payment_method[gateway]=stripe&payment_method[gateway_account_id]=gw_braintree&payment_method[reference_id]=x",
            "payment_method[gateway]",
            "param_invalid",
        ),
    ];
    for (body, param, code) in cases {
        let a = api.update("r1", body).await;
        assert_eq!(
            bad_param(&a),
            (param.to_string(), code.to_string()),
            "{body}"
        );
    }
    let a = api
        .update(
            "r1",
            "payment_method[type]=card&payment_method[gateway_account_id]=gw_nope&payment_method[reference_id]=cus_1",
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.body["param"], "payment_method[gateway_account_id]");
    // None of the failures changed the customer.
    let r = api.send(Method::GET, "/customers/r1", "", &[]).await;
    assert!(r.body["customer"].get("payment_method").is_none());
}

#[tokio::test]
async fn other_types() {
    let api = Api::start().await;
    api.customer("t1").await;
    let pm = |a: &Answer| a.body["customer"]["payment_method"].clone();
    let a = api
        .update(
            "t1",
            "payment_method[type]=paypal_express_checkout&payment_method[reference_id]=B-5YM89394MX9271022",
        )
        .await;
    assert_eq!(pm(&a)["gateway"], "paypal_express_checkout");
    assert_eq!(a.body["customer"]["card_status"], "no_card");
    assert!(a.body.get("card").is_none());
    let a = api
        .update(
            "t1",
            "payment_method[type]=amazon_payments&payment_method[reference_id]=C01-1234567-1234567",
        )
        .await;
    assert_eq!(pm(&a)["gateway_account_id"], "gw_amazon");
    let a = api
        .update(
            "t1",
            "payment_method[type]=direct_debit&payment_method[reference_id]=MD0077Z99TTQXK",
        )
        .await;
    assert_eq!(pm(&a)["gateway"], "gocardless");
    let a = api
        .update(
            "t1",
            "payment_method[type]=direct_debit&payment_method[gateway]=authorize_net&payment_method[reference_id]=2384383%2F34834382",
        )
        .await;
    assert_eq!(pm(&a)["reference_id"], "2384383/34834382");
    let a = api
        .update(
            "t1",
            "payment_method[type]=direct_debit&payment_method[gateway]=stripe&payment_method[tmp_token]=btok_1",
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let reference = pm(&a)["reference_id"].as_str().unwrap().to_string();
    assert!(
        reference.starts_with("cus_") && reference.contains("/ba_"),
        "{reference}"
    );
    let a = api
        .update(
            "t1",
            "payment_method[type]=paypal_express_checkout&payment_method[gateway]=braintree&payment_method[tmp_token]=fake-paypal-nonce",
        )
        .await;
    assert_eq!(pm(&a)["gateway_account_id"], "gw_braintree");
}

#[tokio::test]
async fn verification_runs_on_create_but_not_on_update() {
    let api = Api::start().await;
    let declined = "payment_method[type]=card&payment_method[gateway]=braintree&payment_method[reference_id]=bt1%2Fdeclined";
    let a = api.post("/customers", &format!("id=v1&{declined}")).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.body["type"], "payment");
    assert_eq!(
        a.body["api_error_code"],
        "payment_method_verification_failed"
    );
    api.customer("v1").await;
    let a = api.update("v1", declined).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["customer"]["payment_method"]["status"], "valid");
}

#[tokio::test]
async fn documented_headers_are_accepted() {
    let api = Api::start().await;
    let body = "payment_method[type]=card&payment_method[reference_id]=cus_1";
    let headers = [
        ("chargebee-event-webhook", "all-disabled"),
        ("chargebee-event-actions", "all-disabled"),
        ("chargebee-event-email", "all-disabled"),
        ("chargebee-request-origin-ip", "203.0.113.9"),
        ("chargebee-request-origin-user", "ada@example.com"),
        ("chargebee-request-origin-device", "web"),
        ("chargebee-business-entity-id", "be_eu"),
    ];
    let c = api
        .send(Method::POST, "/customers", "id=h1", &headers)
        .await;
    assert_eq!(c.body["customer"]["business_entity_id"], "be_eu");
    let a = api
        .send(
            Method::POST,
            "/customers/h1/update_payment_method",
            body,
            &headers,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let encoded = STANDARD.encode("zoë@example.com");
    let a = api
        .send(
            Method::POST,
            "/customers/h1/update_payment_method",
            body,
            &[("chargebee-request-origin-user-encoded", encoded.as_str())],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let a = api
        .send(
            Method::POST,
            "/customers/h1/update_payment_method",
            body,
            &[("chargebee-event-email", "none")],
        )
        .await;
    assert_eq!(bad_param(&a).0, "chargebee-event-email");
}

/// The bodies the official clients send for one customer (captured from `chargebee`
/// 3.33 on npm and 3.29 on PyPI): JSON text from Node; Python's repr, and one
/// `exemption_details` key per item, from Python. Both send list items as
/// `entity_identifiers[field][index]`.
const NODE_FIELDS: &str = "meta_data=%7B%22a%22%3A1%2C%22b%22%3A%5Btrue%2Cnull%2C%22x%22%5D%2C%22c%22%3A%7B%22d%22%3A%22e'f%22%7D%7D&exemption_details=%5B%7B%22x%22%3A%22y%22%7D%2C%22s%22%5D";
const PYTHON_FIELDS: &str = "meta_data=%7B%27a%27%3A+1%2C+%27b%27%3A+%5BTrue%2C+None%2C+%27x%27%5D%2C+%27c%27%3A+%7B%27d%27%3A+%22e%27f%22%7D%7D&exemption_details=%7B%27x%27%3A+%27y%27%7D&exemption_details=s";
const LIST_FIELDS: &str = "entity_identifiers%5Bscheme%5D%5B0%5D=0088&entity_identifiers%5Bvalue%5D%5B0%5D=v1&entity_identifiers%5Bid%5D%5B1%5D=ei-2&entity_identifiers%5Bscheme%5D%5B1%5D=0192&entity_identifiers%5Bstandard%5D%5B1%5D=s&tax_providers_fields%5Bprovider_name%5D%5B0%5D=p&tax_providers_fields%5Bfield_id%5D%5B0%5D=f&tax_providers_fields%5Bfield_value%5D%5B0%5D=v";

#[tokio::test]
async fn json_and_list_fields_mean_the_same_from_both_clients() {
    let api = Api::start().await;
    let mut shown = Vec::new();
    for (id, fields) in [("node", NODE_FIELDS), ("python", PYTHON_FIELDS)] {
        let a = api
            .post("/customers", &format!("id={id}&{fields}&{LIST_FIELDS}"))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let found = api
            .send(Method::GET, &format!("/customers/{id}"), "", &[])
            .await;
        let c = found.body["customer"].clone();
        assert_eq!(c, a.body["customer"]);
        assert_eq!(
            c["meta_data"],
            json!({"a": 1, "b": [true, null, "x"], "c": {"d": "e'f"}})
        );
        assert_eq!(c["exemption_details"], json!([{"x": "y"}, "s"]));
        let first_id = c["entity_identifiers"][0]["id"].as_str().unwrap();
        assert!(first_id.starts_with("ei_"), "{first_id}");
        assert_eq!(
            c["entity_identifiers"][1],
            json!({"id": "ei-2", "scheme": "0192", "standard": "s"})
        );
        assert_eq!(
            c["entity_identifiers"][0]["standard"],
            "iso6523-actorid-upis"
        );
        assert_eq!(
            c["tax_providers_fields"],
            json!([{"provider_name": "p", "field_id": "f", "field_value": "v"}])
        );
        shown.push((
            c["meta_data"].clone(),
            c["exemption_details"].clone(),
            c["tax_providers_fields"].clone(),
        ));
    }
    assert_eq!(shown[0], shown[1]);
    // Without them, the customer shows none of these fields.
    let plain = api.customer("plain").await.body;
    for field in [
        "meta_data",
        "exemption_details",
        "entity_identifiers",
        "tax_providers_fields",
    ] {
        assert!(plain["customer"].get(field).is_none(), "{field}");
    }
}

#[tokio::test]
async fn unreadable_lists_and_json_fields_are_refused_and_create_nothing() {
    let api = Api::start().await;
    for (fields, param, code) in [
        (
            "entity_identifiers[value][0]=1",
            "entity_identifiers[scheme][0]",
            "param_blank",
        ),
        (
            "entity_identifiers[0][scheme]=x",
            "entity_identifiers",
            "param_invalid",
        ),
        // Python's index-less object inside a list item, with two items.
        (
            "entity_identifiers[scheme][a]=x&entity_identifiers[value][0]=1&entity_identifiers[value][1]=2",
            "entity_identifiers[scheme]",
            "param_invalid",
        ),
        (
            "entity_identifiers[scheme][300]=x",
            "entity_identifiers[scheme][300]",
            "param_invalid",
        ),
        ("meta_data[a]=1", "meta_data", "param_invalid"),
        ("meta_data=%5B1%5D", "meta_data", "param_invalid"),
        ("meta_data=%7Ba%3A1%7D", "meta_data", "param_invalid"),
        (
            "exemption_details[0]=x",
            "exemption_details",
            "param_invalid",
        ),
        (
            "payment_method[type]=card&payment_method[reference_id]=cus_1&payment_method[additional_information]=%27x%27",
            "payment_method[additional_information]",
            "param_invalid",
        ),
    ] {
        let a = api
            .post("/customers", &format!("id=refused&{fields}"))
            .await;
        assert_eq!(
            bad_param(&a),
            (param.to_string(), code.to_string()),
            "{fields}"
        );
        let none = api.send(Method::GET, "/customers/refused", "", &[]).await;
        assert_eq!(none.status, StatusCode::NOT_FOUND, "{fields}");
    }
    // additional_information from the Python client reads as from the Node client.
    api.post("/customers", "id=ai").await;
    for info in ["%7B%27a%27%3A+True%7D", "%7B%22a%22%3Atrue%7D"] {
        let a = api
            .update(
                "ai",
                &format!("payment_method[type]=card&payment_method[reference_id]=cus_1&payment_method[additional_information]={info}"),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    }
}

#[tokio::test]
async fn list_customers_reads_both_clients_filter_lists() {
    let api = Api::start().await;
    for (id, collection) in [("la", "on"), ("lb", "off"), ("lc", "on")] {
        let a = api
            .post(
                "/customers",
                &format!("id={id}&company=acme&auto_collection={collection}"),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    }
    let ids = |a: &Answer| -> Vec<String> {
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        a.body["list"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["customer"]["id"].as_str().unwrap().to_string())
            .collect()
    };
    let list = |query: String| {
        let api = &api;
        async move {
            api.send(Method::GET, &format!("/customers?{query}"), "", &[])
                .await
        }
    };
    // Node (JSON), Python (repr) and by hand ([a,b]) mean the same list.
    for value in [
        "%5B%22lc%22%2C%22la%22%5D",
        "%5B%27lc%27%2C+%27la%27%5D",
        "[lc,la]",
    ] {
        assert_eq!(
            ids(&list(format!("id[in]={value}")).await),
            ["la", "lc"],
            "{value}"
        );
    }
    for value in ["%5B1%2C4102444800%5D", "%5B%271%27%2C+%274102444800%27%5D"] {
        let found = ids(&list(format!("company[is]=acme&created_at%5Bbetween%5D={value}")).await);
        assert_eq!(found, ["la", "lb", "lc"], "{value}");
    }
    assert_eq!(
        ids(&list("company[is]=acme&created_at[between]=[1,2]".into()).await),
        Vec::<String>::new()
    );
    assert_eq!(ids(&list("id[not_in]=[la,lc]".into()).await), ["lb"]);
    assert_eq!(
        ids(&list("auto_collection[in]=['off']".into()).await),
        ["lb"]
    );
    assert_eq!(
        ids(&list("id[starts_with]=l&sort_by[desc]=created_at".into()).await),
        ["lc", "lb", "la"]
    );
    assert_eq!(
        ids(&list("first_name[is_present]=false&id[is]=lb".into()).await),
        ["lb"]
    );
    // Pages.
    let first = list("company[is]=acme&limit=2".into()).await;
    assert_eq!(ids(&first), ["la", "lb"]);
    let offset = first.body["next_offset"].as_str().unwrap().to_string();
    let rest = list(format!(
        "company[is]=acme&limit=2&offset={}",
        gatecheck::wire::form::encode(&json!({"o": offset})).trim_start_matches("o=")
    ))
    .await;
    assert_eq!(ids(&rest), ["lc"]);
    assert!(rest.body.get("next_offset").is_none(), "{}", rest.body);
    // Refusals name the parameter.
    for (query, param) in [
        ("email[in]=[a]", "email[in]"),
        ("id[in]=a,b", "id[in]"),
        ("id[in][0]=a&id[in][1]=b", "id[in]"),
        (
            "id[starts_with]=l&id[starts_with][not_in]=[la]",
            "id[starts_with]",
        ),
        ("limit=0", "limit"),
        ("offset=7", "offset"),
        ("sort_by[asc]=email", "sort_by[asc]"),
    ] {
        assert_eq!(bad_param(&list(query.into()).await).0, param, "{query}");
    }
}
