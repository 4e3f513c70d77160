//! The customer endpoints: create, list, retrieve, and update payment method.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::Site;
use super::errors::ApiError;
use super::headers;
use super::listing;
use super::params::{self, read_form};
use super::payment_method::{self, Verification};
use super::render::{customer_answer, json};
use super::vault::{Customer, StoredPaymentMethod};
use crate::sandbox::clock::Timestamp;

fn answer(result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `POST /api/v2/customers`.
pub(super) async fn create_handler(
    State(site): State<Arc<Site>>,
    request_headers: HeaderMap,
    body: Bytes,
) -> Response {
    answer(create(&site, &request_headers, &body))
}

fn create(site: &Site, request_headers: &HeaderMap, body: &[u8]) -> Result<Response, ApiError> {
    let origin = headers::read(request_headers)?;
    let mut p = params::customer(&read_form(body)?)?;
    let method = p
        .payment_method
        .as_ref()
        .map(|m| payment_method::resolve(m, Verification::PerAccount))
        .transpose()?;
    let mut vault = site.lock();
    let id = match p.id {
        Some(id) if vault.customers.contains_key(&id) => {
            return Err(ApiError::duplicate("id", &id));
        }
        Some(id) => id,
        None => crate::sandbox::ids::alphanumeric(16),
    };
    let millis = site.clock.now_millis();
    let now = Timestamp::from_millis(millis);
    let version = vault.next_version(millis);
    for identifier in &mut p.entity_identifiers {
        identifier
            .id
            .get_or_insert_with(|| format!("ei_{}", crate::sandbox::ids::alphanumeric(16)));
    }
    let customer = Customer {
        id: id.clone(),
        first_name: p.first_name,
        last_name: p.last_name,
        email: p.email,
        phone: p.phone,
        company: p.company,
        auto_collection: p.auto_collection.unwrap_or_else(|| "on".into()),
        locale: p.locale,
        preferred_currency_code: p.preferred_currency_code.unwrap_or_else(|| "USD".into()),
        business_entity_id: origin.business_entity_id,
        created_at: now,
        updated_at: now,
        resource_version: version,
        payment_method: method.map(|method| StoredPaymentMethod {
            method,
            payment_source_id: format!("pm_{}", crate::sandbox::ids::alphanumeric(16)),
            created_at: now,
            resource_version: version,
        }),
        meta_data: p.meta_data,
        exemption_details: p.exemption_details,
        entity_identifiers: p.entity_identifiers,
        tax_providers_fields: p.tax_providers_fields,
        sequence: vault.next_sequence(),
    };
    let body = customer_answer(&customer);
    vault.customers.insert(id, customer);
    Ok(json(StatusCode::OK, &body))
}

/// `GET /api/v2/customers`: filters, sort order and pages as `listing` reads them.
pub(super) async fn list_handler(
    State(site): State<Arc<Site>>,
    request_headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    answer(headers::read(&request_headers).and_then(|_| {
        let form = read_form(query.unwrap_or_default().as_bytes())?;
        let request = listing::request(&form.root)?;
        let vault = site.lock();
        Ok(json(StatusCode::OK, &listing::page(&vault, &request)))
    }))
}

/// `GET /api/v2/customers/{id}`.
pub(super) async fn retrieve_handler(
    State(site): State<Arc<Site>>,
    request_headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    answer(headers::read(&request_headers).and_then(|_| {
        let vault = site.lock();
        let customer = vault.customers.get(&id).ok_or_else(|| not_found(&id))?;
        Ok(json(StatusCode::OK, &customer_answer(customer)))
    }))
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(None, format!("{id} not found"))
}

/// `POST /api/v2/customers/{id}/update_payment_method`. The parameters are checked
/// before the customer is looked up; card verification does not run on this call.
pub(super) async fn update_payment_method_handler(
    State(site): State<Arc<Site>>,
    request_headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    answer(update_payment_method(&site, &request_headers, &id, &body))
}

fn update_payment_method(
    site: &Site,
    request_headers: &HeaderMap,
    id: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    headers::read(request_headers)?;
    let params = params::payment_method(&read_form(body)?.root)?.unwrap_or_default();
    let method = payment_method::resolve(&params, Verification::Skip)?;
    let mut vault = site.lock();
    let millis = site.clock.now_millis();
    let version = vault.next_version(millis);
    let customer = vault.customers.get_mut(id).ok_or_else(|| not_found(id))?;
    let now = Timestamp::from_millis(millis);
    customer.payment_method = Some(StoredPaymentMethod {
        method,
        payment_source_id: format!("pm_{}", crate::sandbox::ids::alphanumeric(16)),
        created_at: now,
        resource_version: version,
    });
    customer.updated_at = now;
    customer.resource_version = version;
    Ok(json(StatusCode::OK, &customer_answer(customer)))
}

/// Any other path or method under `/api/v2/`.
pub(super) async fn unknown_handler() -> Response {
    ApiError::unknown_path().into_response()
}
