//! `novatalks-config.json`: the embedded app's configuration, served beside index.html
//! (by whoever serves the app, not by the API).

use serde::{Deserialize, Deserializer};

use super::{ApiClient, ApiError, Method};

/// Where the file is: beside index.html, at the root the app is served from.
pub const PATH: &str = "/novatalks-config.json";

/// The file's values; each may be absent. `account` may be written as a number or a string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ConfigFile {
    #[serde(default)]
    pub api: Option<String>,
    #[serde(default, deserialize_with = "number_or_string")]
    pub account: Option<String>,
    #[serde(default)]
    pub token: Option<String>,
    /// The dashboard's origin(s), comma separated.
    #[serde(default)]
    pub dashboard: Option<String>,
}

/// The file, or `None` when there is none: a 404, or the page a single-page-app server
/// answers any unknown path with (not a JSON object).
pub async fn get(client: &ApiClient) -> Result<Option<ConfigFile>, ApiError> {
    let response = client.exchange::<()>(Method::Get, PATH, None).await?;
    match response.status {
        200..=299 => Ok(parse(&response.body)),
        404 => Ok(None),
        status => Err(ApiError::from_response(status, &response.body, false)),
    }
}

/// The file's values when the body is a JSON object.
pub fn parse(body: &str) -> Option<ConfigFile> {
    match serde_json::from_str(body).ok()? {
        value @ serde_json::Value::Object(_) => serde_json::from_value(value).ok(),
        _ => None,
    }
}

fn number_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Account {
        Number(i64),
        Text(String),
    }
    Ok(
        Option::<Account>::deserialize(d)?.map(|account| match account {
            Account::Number(n) => n.to_string(),
            Account::Text(text) => text,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_file_with_the_account_as_number_or_string() {
        let file = parse(r#"{"api":"https://nova.example","account":3,"token":"t"}"#);
        assert_eq!(
            file,
            Some(ConfigFile {
                api: Some("https://nova.example".into()),
                account: Some("3".into()),
                token: Some("t".into()),
                dashboard: None,
            })
        );
        assert_eq!(
            parse(r#"{"account":"4"}"#).and_then(|f| f.account),
            Some("4".into())
        );
        assert_eq!(parse("{}"), Some(ConfigFile::default()));
    }

    #[test]
    fn an_html_page_is_no_config_file() {
        assert_eq!(parse("<!DOCTYPE html><html></html>"), None);
        assert_eq!(parse("[]"), None);
    }
}
