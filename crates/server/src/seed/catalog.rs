//! What an account is set up with before any contact: labels, custom attribute
//! definitions, and one inbox of every channel type.

use serde_json::json;

use crate::AppError;

/// (title, colour, description)
pub(super) const LABELS: &[(&str, &str, &str)] = &[
    ("vip", "#f5a623", "Key customers: answer first"),
    ("billing", "#1f93ff", "Invoices, payments, refunds"),
    ("support", "#44ce4b", "Open technical question"),
    ("lead", "#9b51e0", "Interested, not yet a customer"),
    ("partner", "#00b5ad", "Resellers and partners"),
    ("churn-risk", "#e0245e", "Unhappy or about to leave"),
    ("wholesale", "#8b572a", "Buys in bulk"),
    ("feedback", "#7b8794", "Gave product feedback"),
];

/// A demo custom attribute definition: (key, display name, type, list values, regex).
type AttributeSeed = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    Option<&'static str>,
);

const ATTRIBUTES: &[AttributeSeed] = &[
    (
        "plan",
        "Plan",
        "list",
        &["free", "basic", "gold", "platinum"],
        None,
    ),
    ("order_count", "Orders", "number", &[], None),
    ("lifetime_value", "Lifetime value", "currency", &[], None),
    ("discount", "Discount", "percent", &[], None),
    ("website", "Website", "link", &[], None),
    ("renewal_date", "Renewal date", "date", &[], None),
    ("newsletter", "Newsletter", "checkbox", &[], None),
    ("account_manager", "Account manager", "text", &[], None),
    (
        "tax_id",
        "Tax ID",
        "text",
        &[],
        Some("^[A-Z]{2}[0-9]{8,10}$"),
    ),
];

/// (name, channel type, can write first)
const INBOXES: &[(&str, &str, bool)] = &[
    ("Website chat", "Channel::WebWidget", false),
    ("Support email", "Channel::Email", true),
    ("WhatsApp Business", "Channel::Whatsapp", true),
    ("Telegram bot", "Channel::Telegram", false),
    ("Viber", "Channel::Viber", false),
    ("Call center", "Channel::Call", true),
    ("CRM integration", "Channel::Api", false),
];

/// An account's labels, custom attribute definitions and inboxes (one of every channel
/// type); returns the inboxes as (id, channel type).
pub(super) async fn seed_catalog(
    tx: &mut crate::db::Conn,
    account: i64,
    now: i64,
) -> Result<Vec<(i64, &'static str)>, AppError> {
    for (title, color, description) in LABELS {
        crate::db::query(
            "INSERT INTO labels (account_id, title, description, color) VALUES (?, ?, ?, ?)",
        )
        .bind(account)
        .bind(title)
        .bind(description)
        .bind(color)
        .execute(&mut *tx)
        .await?;
    }
    for (key, display, kind, values, regex) in ATTRIBUTES {
        crate::db::query(
            "INSERT INTO custom_attribute_definitions
             (account_id, attribute_key, attribute_display_name, attribute_display_type, attribute_values,
              attribute_model, regex_pattern, created_at)
             VALUES (?, ?, ?, ?, ?, 'contact_attribute', ?, ?)",
        )
        .bind(account)
        .bind(key)
        .bind(display)
        .bind(kind)
        .bind(json!(values).to_string())
        .bind(regex)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let mut inboxes = Vec::new();
    for (name, channel, write_first) in INBOXES {
        // An API inbox's public key and identity validation secret are random: the
        // identifier is all a caller of the public API needs.
        let (identifier, secret) = match *channel {
            "Channel::Api" => {
                let (identifier, secret) = crate::inboxes::new_api_inbox_keys()?;
                (Some(identifier), Some(secret))
            }
            _ => (None, None),
        };
        let id: i64 = crate::db::query_scalar(
            "INSERT INTO inboxes (account_id, name, channel_type, can_write_first, inbox_identifier, hmac_token)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(account)
        .bind(name)
        .bind(channel)
        .bind(write_first)
        .bind(identifier)
        .bind(secret)
        .fetch_one(&mut *tx)
        .await?;
        inboxes.push((id, *channel));
    }

    Ok(inboxes)
}
