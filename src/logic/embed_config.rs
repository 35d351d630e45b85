//! Where the embedded app finds its server, account and token: query parameters of its
//! own URL (`?api=…&account=…&token=…`), else `novatalks-config.json` beside index.html.
//! A value in the query wins over the same value in the file. Pure: the page reads the
//! sources, this decides.

use crate::api::dashboard_config::ConfigFile;

/// The query parameters (and keys of the config file) the embedded app reads.
pub const API_PARAM: &str = "api";
pub const ACCOUNT_PARAM: &str = "account";
pub const TOKEN_PARAM: &str = "token";
/// The dashboard's origin(s), comma separated: the only pages whose `appContext` counts.
pub const DASHBOARD_PARAM: &str = "dashboard";

/// What the embedded app needs to call the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedConfig {
    /// Prefix of every request: the server's address without a trailing slash, or `""`
    /// for the origin the app is served from.
    pub api_base: String,
    pub account_id: i64,
    pub token: String,
    /// The origins (`https://app.example.com`, lower case) whose `appContext` messages
    /// are taken; empty: those of whatever page frames the app.
    pub dashboard_origins: Vec<String>,
}

impl EmbedConfig {
    /// Whether an `appContext` posted by a page of `origin` is to be taken.
    pub fn accepts_origin(&self, origin: &str) -> bool {
        self.dashboard_origins.is_empty()
            || self
                .dashboard_origins
                .iter()
                .any(|allowed| allowed.eq_ignore_ascii_case(origin))
    }
}

/// Values read from one source, each maybe absent. Blank values count as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartialConfig {
    pub api: Option<String>,
    pub account: Option<String>,
    pub token: Option<String>,
    pub dashboard: Option<String>,
}

/// Why the app cannot run embedded yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigProblem {
    /// These values were found nowhere (their parameter names).
    Missing(Vec<&'static str>),
    /// The account is not a positive whole number.
    InvalidAccount(String),
    /// The API address is neither empty nor an http(s) URL.
    InvalidApi(String),
    /// One of the dashboard origins is not an http(s) origin (the value as given).
    InvalidDashboard(String),
    /// The config file could not be read (why, in words).
    Unreadable(String),
}

impl PartialConfig {
    /// Reads the values with `get` (a query map, a file's fields); blanks are dropped.
    pub fn read(get: impl Fn(&str) -> Option<String>) -> Self {
        let value = |key| {
            get(key)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        PartialConfig {
            api: value(API_PARAM),
            account: value(ACCOUNT_PARAM),
            token: value(TOKEN_PARAM),
            dashboard: value(DASHBOARD_PARAM),
        }
    }

    /// Whether the account and the token are here (the API address may be left out: the
    /// app's own origin), so that no config file need be read.
    pub fn is_complete(&self) -> bool {
        self.account.is_some() && self.token.is_some()
    }

    /// This source's values, the other's where this one has none.
    pub fn or(self, other: PartialConfig) -> PartialConfig {
        PartialConfig {
            api: self.api.or(other.api),
            account: self.account.or(other.account),
            token: self.token.or(other.token),
            dashboard: self.dashboard.or(other.dashboard),
        }
    }

    /// The configuration, or what is wrong with it.
    pub fn resolve(self) -> Result<EmbedConfig, ConfigProblem> {
        let missing: Vec<&'static str> = [
            (ACCOUNT_PARAM, self.account.is_none()),
            (TOKEN_PARAM, self.token.is_none()),
        ]
        .into_iter()
        .filter_map(|(name, absent)| absent.then_some(name))
        .collect();
        if !missing.is_empty() {
            return Err(ConfigProblem::Missing(missing));
        }
        let account = self.account.unwrap_or_default();
        let account_id = account
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or(ConfigProblem::InvalidAccount(account))?;
        let api_base = match self.api {
            None => String::new(),
            Some(api) => api_base(&api).ok_or(ConfigProblem::InvalidApi(api))?,
        };
        let dashboard_origins = match self.dashboard {
            None => Vec::new(),
            Some(list) => origins(&list).ok_or(ConfigProblem::InvalidDashboard(list))?,
        };
        Ok(EmbedConfig {
            api_base,
            account_id,
            token: self.token.unwrap_or_default(),
            dashboard_origins,
        })
    }
}

impl From<ConfigFile> for PartialConfig {
    fn from(file: ConfigFile) -> Self {
        PartialConfig::read(|key| match key {
            API_PARAM => file.api.clone(),
            ACCOUNT_PARAM => file.account.clone(),
            TOKEN_PARAM => file.token.clone(),
            DASHBOARD_PARAM => file.dashboard.clone(),
            _ => None,
        })
    }
}

/// `https://contacts.example.com/` → `https://contacts.example.com`; anything but an
/// http(s) address with a host is refused.
fn api_base(api: &str) -> Option<String> {
    let lower = api.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || api.contains(['?', '#']) || api.chars().any(char::is_whitespace) {
        return None;
    }
    Some(api.trim_end_matches('/').to_owned())
}

/// `https://App.example.com/, http://localhost:3000` → the origins, lower case; `None` if
/// one is not an http(s) origin (a path, a query, no host) or the list is empty.
fn origins(list: &str) -> Option<Vec<String>> {
    let origins: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|origin| {
            let lower = origin.trim_end_matches('/').to_ascii_lowercase();
            let host = lower
                .strip_prefix("https://")
                .or_else(|| lower.strip_prefix("http://"))?;
            let plain = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
            plain.then_some(lower)
        })
        .collect::<Option<_>>()?;
    (!origins.is_empty()).then_some(origins)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partial(api: Option<&str>, account: Option<&str>, token: Option<&str>) -> PartialConfig {
        PartialConfig {
            api: api.map(str::to_owned),
            account: account.map(str::to_owned),
            token: token.map(str::to_owned),
            dashboard: None,
        }
    }

    #[test]
    fn reads_trimmed_values_and_drops_blank_ones() {
        let read = PartialConfig::read(|key| match key {
            "api" => Some("  https://nova.example  ".into()),
            "account" => Some("   ".into()),
            "token" => Some("tok".into()),
            _ => None,
        });
        assert_eq!(
            read,
            partial(Some("https://nova.example"), None, Some("tok"))
        );
        assert!(!read.is_complete());
    }

    #[test]
    fn account_and_token_are_enough_and_the_api_defaults_to_the_own_origin() {
        let config = partial(None, Some("7"), Some("tok")).resolve().unwrap();
        assert_eq!(
            config,
            EmbedConfig {
                api_base: String::new(),
                account_id: 7,
                token: "tok".into(),
                dashboard_origins: Vec::new(),
            }
        );
    }

    #[test]
    fn names_every_missing_value() {
        assert_eq!(
            PartialConfig::default().resolve(),
            Err(ConfigProblem::Missing(vec!["account", "token"]))
        );
        assert_eq!(
            partial(Some("https://x.test"), Some("1"), None).resolve(),
            Err(ConfigProblem::Missing(vec!["token"]))
        );
    }

    #[test]
    fn the_query_wins_over_the_file_value_by_value() {
        let query = partial(None, Some("2"), None);
        let file = partial(Some("https://nova.example/"), Some("9"), Some("file-tok"));
        let config = query.or(file).resolve().unwrap();
        assert_eq!(config.account_id, 2);
        assert_eq!(config.token, "file-tok");
        assert_eq!(config.api_base, "https://nova.example");
    }

    #[test]
    fn refuses_an_account_that_is_not_a_positive_number() {
        for bad in ["abc", "0", "-3", "1.5"] {
            assert_eq!(
                partial(None, Some(bad), Some("t")).resolve(),
                Err(ConfigProblem::InvalidAccount(bad.into()))
            );
        }
    }

    #[test]
    fn accepts_only_http_addresses_with_a_host() {
        let resolve = |api: &str| partial(Some(api), Some("1"), Some("t")).resolve();
        assert_eq!(
            resolve("http://127.0.0.1:8080/").unwrap().api_base,
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            resolve("HTTPS://Nova.example/base").unwrap().api_base,
            "HTTPS://Nova.example/base"
        );
        for bad in [
            "javascript:alert(1)",
            "ftp://x",
            "https://",
            "//x.test",
            "https://x.test?a=1",
        ] {
            assert_eq!(resolve(bad), Err(ConfigProblem::InvalidApi(bad.into())));
        }
    }

    #[test]
    fn dashboard_origins_are_read_normalised_and_checked() {
        let resolve = |dashboard: &str| {
            PartialConfig {
                dashboard: Some(dashboard.into()),
                ..partial(None, Some("1"), Some("t"))
            }
            .resolve()
        };
        let config = resolve("https://App.NovaTalks.example/, http://localhost:3000").unwrap();
        assert_eq!(
            config.dashboard_origins,
            ["https://app.novatalks.example", "http://localhost:3000"]
        );
        assert!(config.accepts_origin("https://app.novatalks.example"));
        assert!(config.accepts_origin("http://localhost:3000"));
        assert!(!config.accepts_origin("https://evil.example"));
        assert!(!config.accepts_origin("http://app.novatalks.example"));
        assert!(!config.accepts_origin("null"), "a sandboxed or file page");
        for bad in [
            "app.novatalks.example",
            "https://app.example/path",
            "https://",
            "javascript:alert(1)",
            "https://a.example?x=1",
            " , ",
        ] {
            assert_eq!(
                resolve(bad),
                Err(ConfigProblem::InvalidDashboard(bad.into())),
                "{bad}"
            );
        }
    }

    #[test]
    fn without_dashboard_origins_any_framing_page_counts() {
        let config = partial(None, Some("1"), Some("t")).resolve().unwrap();
        assert!(config.dashboard_origins.is_empty());
        assert!(config.accepts_origin("https://anything.example"));
    }
}
