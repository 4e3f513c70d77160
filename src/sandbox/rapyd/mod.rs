//! Rapyd's signed JSON API under `/v1/` (issue 4 fills this in).

use axum::Router;

use super::RapydSettings;

/// All Rapyd routes.
pub fn router(settings: RapydSettings) -> Router {
    let _ = settings;
    Router::new()
}
