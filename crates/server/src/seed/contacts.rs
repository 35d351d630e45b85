//! The demo's contacts: generated people with attributes, labels and blocks, and what
//! happened around them.

use serde_json::{json, Map, Value};

use super::catalog::{seed_catalog, LABELS};
use super::conversations::{seed_conversations, seed_notes, Seeded};
use super::people::{person, COMPANIES};
use super::rng::Rng;
use super::DAY;
use crate::AppError;

/// An account's catalog and `contacts` generated contacts (serials from `serial_base`,
/// drawn from `seed`), with their labels, conversations and notes by `agents`.
#[allow(clippy::too_many_arguments)]
pub(super) async fn seed_account(
    tx: &mut crate::db::Conn,
    account: i64,
    agents: &[i64],
    contacts: usize,
    serial_base: u64,
    now: i64,
    seed: u64,
) -> Result<(), AppError> {
    let mut rng = Rng(seed);
    let inboxes = seed_catalog(tx, account, now).await?;

    for i in 0..contacts {
        let serial = serial_base + i as u64;
        let p = person(&mut rng, serial);
        let created_at = now - 730 * DAY + (rng.next() % (725 * DAY as u64)) as i64;
        let mut additional = Map::new();
        if rng.chance(75) {
            additional.insert("language".into(), json!(p.language));
        }
        if rng.chance(50) {
            additional.insert("city".into(), json!(p.city));
            additional.insert("country_code".into(), json!(p.country));
        }
        if rng.chance(30) {
            additional.insert("company_name".into(), json!(rng.pick(COMPANIES)));
        }
        let custom = custom_values(&mut rng, now);
        let identifier = rng.chance(40).then(|| format!("crm-{}", 10_000 + serial));
        // 3% blocked: forever, until a future time, or with a block that has already
        // expired (which reads as not blocked).
        let (blocked, blocked_until, reason) = match rng.below(100) {
            0 => (true, None, Some("Spam")),
            1 => (
                true,
                Some(now + (1 + rng.below(20)) as i64 * DAY),
                Some("Abusive language"),
            ),
            2 => (true, None, None),
            3 if i % 2 == 0 => (true, Some(now - DAY), Some("Expired block")),
            _ => (false, None, None),
        };
        let contact_id: i64 = crate::db::query_scalar(
            "INSERT INTO contacts (account_id, name, email, phone_number, identifier,
               additional_attributes, custom_attributes, blocked, blocked_until, block_reason,
               created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(account)
        .bind(&p.name)
        .bind(&p.email)
        .bind(&p.phone)
        .bind(&identifier)
        .bind(Value::Object(additional))
        .bind(Value::Object(custom))
        .bind(blocked)
        .bind(blocked_until)
        .bind(reason)
        .bind(created_at)
        .bind(created_at)
        .fetch_one(&mut *tx)
        .await?;

        let label_count = [0, 0, 0, 1, 1, 1, 2, 3][rng.below(8)];
        let mut titles: Vec<&str> = (0..label_count).map(|_| rng.pick(LABELS).0).collect();
        titles.sort_unstable();
        titles.dedup();
        for title in titles {
            crate::db::query(
                "INSERT INTO contact_labels (contact_id, account_id, title) VALUES (?, ?, ?)",
            )
            .bind(contact_id)
            .bind(account)
            .bind(title)
            .execute(&mut *tx)
            .await?;
        }

        let contact = Seeded {
            id: contact_id,
            person: &p,
            created_at,
        };
        seed_conversations(tx, &mut rng, account, &contact, &inboxes, now).await?;
        seed_notes(tx, &mut rng, account, &contact, agents, now).await?;
    }
    Ok(())
}

/// Custom attribute values of the demo definitions, for about half the contacts.
fn custom_values(rng: &mut Rng, now: i64) -> Map<String, Value> {
    let mut custom = Map::new();
    if !rng.chance(55) {
        return custom;
    }
    custom.insert(
        "plan".into(),
        json!(rng.pick(&["free", "basic", "gold", "platinum"])),
    );
    if rng.chance(60) {
        custom.insert("order_count".into(), json!(rng.below(120)));
    }
    if rng.chance(40) {
        custom.insert(
            "lifetime_value".into(),
            json!((rng.below(500_000) as f64) / 100.0),
        );
    }
    if rng.chance(25) {
        custom.insert("discount".into(), json!(rng.below(30)));
    }
    if rng.chance(20) {
        custom.insert(
            "website".into(),
            json!(format!("https://example-{}.com", rng.below(900))),
        );
    }
    if rng.chance(35) {
        let day = chrono::DateTime::from_timestamp(now + (rng.below(400) as i64 - 30) * DAY, 0)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        custom.insert("renewal_date".into(), json!(day));
    }
    if rng.chance(50) {
        custom.insert("newsletter".into(), json!(rng.chance(60)));
    }
    if rng.chance(20) {
        custom.insert(
            "account_manager".into(),
            json!(rng.pick(&["Maria", "Oleh", "Sam", "Ines"])),
        );
    }
    if rng.chance(10) {
        custom.insert(
            "tax_id".into(),
            json!(format!("UA{}", 10_000_000 + rng.below(89_999_999))),
        );
    }
    custom
}
