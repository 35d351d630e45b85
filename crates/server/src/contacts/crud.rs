//! One contact: create, show, update (block/unblock), delete, destroy custom attributes.

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
