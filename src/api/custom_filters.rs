//! Saved segments: Chatwoot's custom filters of type `contact`, private to the agent.

use novatalks_model::filter::{
    CustomFilter, CustomFilterInput, CustomFilterRequest, FilterCondition, FilterRequest,
};
use serde::de::DeserializeOwned;

use super::{ApiClient, ApiError, HttpResponse, Method};

/// The `filter_type` of contact segments.
pub const CONTACT: &str = "contact";

/// `GET /custom_filters?filter_type=contact`: the agent's segments, oldest first.
pub async fn list(client: &ApiClient) -> Result<Vec<CustomFilter>, ApiError> {
    let path = client.account_path("/custom_filters")?;
    client.get(&format!("{path}?filter_type={CONTACT}")).await
}

/// `GET /custom_filters/{id}`.
pub async fn get(client: &ApiClient, id: i64) -> Result<CustomFilter, ApiError> {
    let path = client.account_path(&format!("/custom_filters/{id}"))?;
    client.get(&path).await
}

/// `POST /custom_filters`: saves `conditions` as a segment named `name`. A blank name or
/// a condition the server refuses is a 422 whose message says why.
pub async fn create(
    client: &ApiClient,
    name: &str,
    conditions: &[FilterCondition],
) -> Result<CustomFilter, ApiError> {
    let path = client.account_path("/custom_filters")?;
    let body = CustomFilterRequest {
        custom_filter: CustomFilterInput {
            name: Some(name.to_owned()),
            filter_type: Some(CONTACT.to_owned()),
            query: Some(FilterRequest {
                payload: conditions.to_vec(),
            }),
        },
    };
    read(client.exchange(Method::Post, &path, Some(&body)).await?)
}

/// `PATCH /custom_filters/{id}`: changes what `input` holds (a new name, a new query).
pub async fn update(
    client: &ApiClient,
    id: i64,
    input: CustomFilterInput,
) -> Result<CustomFilter, ApiError> {
    let path = client.account_path(&format!("/custom_filters/{id}"))?;
    let body = CustomFilterRequest {
        custom_filter: input,
    };
    read(client.exchange(Method::Patch, &path, Some(&body)).await?)
}

/// Renames a segment.
pub async fn rename(client: &ApiClient, id: i64, name: &str) -> Result<CustomFilter, ApiError> {
    let input = CustomFilterInput {
        name: Some(name.to_owned()),
        ..CustomFilterInput::default()
    };
    update(client, id, input).await
}

/// `DELETE /custom_filters/{id}`.
pub async fn delete(client: &ApiClient, id: i64) -> Result<(), ApiError> {
    let path = client.account_path(&format!("/custom_filters/{id}"))?;
    client.delete(&path).await
}

/// The decoded body of a success, else the error the status and body say.
fn read<T: DeserializeOwned>(response: HttpResponse) -> Result<T, ApiError> {
    if (200..300).contains(&response.status) {
        serde_json::from_str(&response.body).map_err(|e| ApiError::Decode(e.to_string()))
    } else {
        Err(ApiError::from_response(
            response.status,
            &response.body,
            true,
        ))
    }
}
