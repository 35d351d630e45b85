//! The OpenAPI document's frame; paths are added by the routers themselves, and
//! [`finish`] adds what every route shares once they are all in.

use utoipa::openapi::path::Operation;
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

/// The media type every body route reads.
pub const JSON: &str = "application/json";

/// The form media types a route that reads a JSON body reads too, the same fields nested
/// by Rack's rules (`contact[name]`, `labels[]`: see [`super::form`]), as Rails does
/// for Chatwoot's clients: its dashboard sends a contact with an avatar as
/// `multipart/form-data`, and scripts post `application/x-www-form-urlencoded`.
pub const FORMS: [&str; 2] = ["application/x-www-form-urlencoded", "multipart/form-data"];

/// The document as served, once every router has added its paths: each operation whose
/// request body is JSON also declares [`FORMS`], with the same schema. Done here, over
/// every operation, rather than on each handler, so a new route cannot forget it. A
/// body declared only in another type (the import's multipart upload) is left alone.
pub fn finish(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            add_forms(operation);
        }
    }
    doc
}

fn add_forms(operation: &mut Operation) {
    let Some(body) = operation.request_body.as_mut() else {
        return;
    };
    let Some(json) = body.content.get(JSON).cloned() else {
        return;
    };
    for form in FORMS {
        body.content
            .entry(form.to_owned())
            .or_insert_with(|| json.clone());
    }
}
