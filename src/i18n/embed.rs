//! The words of the Dashboard App mode (`Strings::embed`): the app framed in the
//! NovaTalks dashboard, showing the card of the conversation's contact. English only,
//! with the table itself here.

use crate::logic::embed_config::ConfigProblem;

/// The embedded app's text.
pub struct EmbedStrings {
    /// The accessible name of the embedded app's main region.
    pub region: &'static str,
    pub reading_config: &'static str,
    pub not_configured_title: &'static str,
    /// "Missing: account, token."
    pub missing: fn(&[&str]) -> String,
    /// "The account “abc” is not a number above 0."
    pub invalid_account: fn(&str) -> String,
    /// "The API address “ftp://x” must start with http:// or https://."
    pub invalid_api: fn(&str) -> String,
    /// "The dashboard origin “x” must be …".
    pub invalid_dashboard: fn(&str) -> String,
    /// "novatalks-config.json could not be read: <why>".
    pub config_unreadable: fn(&str) -> String,
    /// How to configure the app, under any configuration problem.
    pub how_to_configure: &'static str,
    pub waiting_for_context: &'static str,
    pub token_refused_title: &'static str,
    pub token_refused: &'static str,
    pub origin_refused_title: &'static str,
    /// (the framing page's origin, the configured origins) → why nothing is shown.
    pub origin_refused: fn(&str, &[String]) -> String,
    pub loading_contact: &'static str,
    pub contact_not_found: &'static str,
    pub contact_deleted: &'static str,
    /// "Could not load the contact: <why>".
    pub load_failed: fn(&str) -> String,
}

impl EmbedStrings {
    /// Why the embedded app cannot run yet.
    pub fn config_problem(&self, problem: &ConfigProblem) -> String {
        match problem {
            ConfigProblem::Missing(names) => (self.missing)(names),
            ConfigProblem::InvalidAccount(account) => (self.invalid_account)(account),
            ConfigProblem::InvalidApi(api) => (self.invalid_api)(api),
            ConfigProblem::InvalidDashboard(list) => (self.invalid_dashboard)(list),
            ConfigProblem::Unreadable(why) => (self.config_unreadable)(why),
        }
    }
}

pub static EMBED_EN: EmbedStrings = EmbedStrings {
    region: "Contact of this conversation",
    reading_config: "Reading the configuration…",
    not_configured_title: "NovaTalks Contacts is not configured for the dashboard",
    missing: |names| format!("Missing: {}.", names.join(", ")),
    invalid_account: |account| format!("The account “{account}” is not a number above 0."),
    invalid_api: |api| format!("The API address “{api}” must start with http:// or https://."),
    invalid_dashboard: |list| {
        format!(
            "The dashboard origin “{list}” must be one or more addresses like \
             https://app.example.com, comma separated, without a path."
        )
    },
    config_unreadable: |why| format!("novatalks-config.json could not be read: {why}"),
    how_to_configure: "Give the app the account and an access token, and the API address \
        when the API is on another server: as query parameters of the app's URL \
        (/dashboard-app?api=https://…&account=1&token=…) or in novatalks-config.json \
        beside index.html ({\"api\": \"https://…\", \"account\": 1, \"token\": \"…\"}). \
        Add dashboard=https://… to take conversations only from your dashboard.",
    waiting_for_context: "Waiting for the dashboard to tell which conversation is open…",
    token_refused_title: "The access token was refused",
    token_refused: "The server did not accept the configured access token. Check the \
        token in the app's configuration, then reload the dashboard.",
    origin_refused_title: "Not the configured dashboard",
    origin_refused: |origin, allowed| {
        format!(
            "This app shows contacts only for {}. The page framing it is {origin}: if that is \
             your dashboard, add it to the app's dashboard setting.",
            allowed.join(", ")
        )
    },
    loading_contact: "Loading the contact…",
    contact_not_found: "This conversation's contact does not exist any more.",
    contact_deleted: "The contact was deleted.",
    load_failed: |why| format!("Could not load the contact: {why}"),
};
