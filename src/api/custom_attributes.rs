//! The account's custom attribute definitions for contacts.

use novatalks_model::custom_attribute::CONTACT_ATTRIBUTE;
use novatalks_model::CustomAttributeDefinition;
use serde::Serialize;

use super::rejection::checked;
use super::{ApiClient, ApiError, Checked, Method};

/// A definition to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewDefinition {
    pub attribute_key: String,
    pub attribute_display_name: String,
    /// One of `novatalks_model::custom_attribute::DISPLAY_TYPES`.
    pub attribute_display_type: String,
    /// The choices of a `list` attribute.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attribute_values: Vec<String>,
    pub attribute_model: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regex_pattern: Option<String>,
}

/// `GET /custom_attribute_definitions?attribute_model=contact_attribute`.
pub async fn definitions(client: &ApiClient) -> Result<Vec<CustomAttributeDefinition>, ApiError> {
    let path = client.account_path("/custom_attribute_definitions")?;
    client
        .get(&format!("{path}?attribute_model={CONTACT_ATTRIBUTE}"))
        .await
}

/// `POST /custom_attribute_definitions`: the new definition, or why not (a taken key…).
pub async fn create(
    client: &ApiClient,
    definition: &NewDefinition,
) -> Result<Checked<CustomAttributeDefinition>, ApiError> {
    let path = client.account_path("/custom_attribute_definitions")?;
    checked(
        client
            .exchange(Method::Post, &path, Some(definition))
            .await?,
    )
}
