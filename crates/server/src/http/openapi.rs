//! The OpenAPI document's frame; paths are added by the routers themselves.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "NovaTalks Contacts API", description = "Chatwoot's Application API for contacts, with NovaTalks extensions ([ext])."),
    modifiers(&AccessToken)
)]
pub struct ApiDoc;

struct AccessToken;

impl Modify for AccessToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_access_token",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("api_access_token"))),
        );
    }
}
