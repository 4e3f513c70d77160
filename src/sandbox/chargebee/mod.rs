//! Chargebee's form-encoded API under `/api/v2/` (issue 5 fills this in).

use axum::Router;

use super::ChargebeeSettings;

/// All Chargebee routes.
pub fn router(settings: ChargebeeSettings) -> Router {
    let _ = settings;
    Router::new()
}
