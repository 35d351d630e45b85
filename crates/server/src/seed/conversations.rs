//! What happened around a contact: conversations with their messages in the inboxes that
//! can reach it, and agents' notes.

use super::people::Person;
use super::rng::Rng;
use crate::AppError;

const INCOMING: &[&str] = &[
    "Hello! Where is my order?",
    "Can I change the delivery address?",
    "The invoice shows the wrong amount.",
    "Добрий день! Коли буде доставка?",
    "Здравствуйте, не могу войти в личный кабинет.",
    "Guten Tag, ich möchte mein Abo kündigen.",
    "Bonjour, le colis est arrivé abîmé.",
    "¿Tienen descuento para clientes frecuentes?",
    "Dzień dobry, proszę o fakturę VAT.",
    "Thanks, that solved it!",
    "Missed call",
];

const OUTGOING: &[&str] = &[
    "Thanks for reaching out! Let me check.",
    "Your order ships tomorrow.",
    "I have corrected the invoice and sent it again.",
    "Дякуємо! Замовлення вже в дорозі.",
    "We called you back: please confirm the new address.",
];

const NOTES: &[&str] = &[
    "Prefers email over calls.",
    "Asked for a discount on the annual plan; promised to follow up in March.",
    "Called twice about the same invoice — escalate if it happens again.",
    "Клієнт просить дзвонити після 18:00.",
    "Decision maker at the company. Be <b>polite</b> & quick.",
];

/// A contact just written, as its conversations and notes need it.
pub(super) struct Seeded<'a> {
    pub(super) id: i64,
    pub(super) person: &'a Person,
    pub(super) created_at: i64,
}

/// Most contacts (70 %): one to three conversations, each in an inbox that can reach the
/// contact, of one to four messages; the contact's last activity is the latest message.
pub(super) async fn seed_conversations(
    tx: &mut crate::db::Conn,
    rng: &mut Rng,
    account: i64,
    contact: &Seeded<'_>,
    inboxes: &[(i64, &'static str)],
    now: i64,
) -> Result<(), AppError> {
    let (contact_id, created_at, p) = (contact.id, contact.created_at, contact.person);
    if rng.chance(70) {
        let conversations = 1 + rng.below(3);
        let mut last_activity = created_at;
        for _ in 0..conversations {
            let reachable: Vec<&(i64, &str)> = inboxes
                .iter()
                .filter(|(_, ch)| match *ch {
                    "Channel::Email" => p.email.is_some(),
                    "Channel::Whatsapp" | "Channel::Viber" | "Channel::Call" => p.phone.is_some(),
                    _ => true,
                })
                .collect();
            let (inbox_id, channel) = **rng.pick(&reachable);
            let source_id = match channel {
                "Channel::Email" => p.email.clone().unwrap_or_default(),
                "Channel::Whatsapp" | "Channel::Viber" | "Channel::Call" => p
                    .phone
                    .clone()
                    .unwrap_or_default()
                    .trim_start_matches('+')
                    .to_owned(),
                _ => format!("src-{account}-{contact_id}-{inbox_id}"),
            };
            let ci: i64 = crate::db::query_scalar(
                "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, created_at)
                 VALUES (?, ?, ?, ?)
                 ON CONFLICT (inbox_id, source_id) DO UPDATE SET source_id = excluded.source_id
                 RETURNING id",
            )
            .bind(contact_id)
            .bind(inbox_id)
            .bind(&source_id)
            .bind(created_at)
            .fetch_one(&mut *tx)
            .await?;
            let started = created_at + (rng.next() % ((now - created_at).max(1) as u64)) as i64;
            let status = *rng.pick(&["open", "resolved", "resolved", "pending"]);
            let conv: i64 = crate::db::query_scalar(
                "INSERT INTO conversations (account_id, inbox_id, contact_id, contact_inbox_id, status,
                   created_at, last_activity_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(account)
            .bind(inbox_id)
            .bind(contact_id)
            .bind(ci)
            .bind(status)
            .bind(started)
            .bind(started)
            .fetch_one(&mut *tx)
            .await?;
            let mut at = started;
            for m in 0..1 + rng.below(4) {
                let (content, kind) = if m % 2 == 0 {
                    (*rng.pick(INCOMING), 0)
                } else {
                    (*rng.pick(OUTGOING), 1)
                };
                crate::db::query(
                    "INSERT INTO messages (account_id, conversation_id, content, message_type, created_at)
                     VALUES (?, ?, ?, ?, ?)",
                )
                .bind(account)
                .bind(conv)
                .bind(content)
                .bind(kind)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                at = (at + 60 + (rng.next() % 3_600) as i64).min(now);
            }
            crate::db::query("UPDATE conversations SET last_activity_at = ? WHERE id = ?")
                .bind(at)
                .bind(conv)
                .execute(&mut *tx)
                .await?;
            last_activity = last_activity.max(at);
        }
        crate::db::query("UPDATE contacts SET last_activity_at = ? WHERE id = ?")
            .bind(last_activity)
            .bind(contact_id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Some contacts (15 %): one or two notes by the account's agents.
pub(super) async fn seed_notes(
    tx: &mut crate::db::Conn,
    rng: &mut Rng,
    account: i64,
    contact: &Seeded<'_>,
    agents: &[i64],
    now: i64,
) -> Result<(), AppError> {
    let (contact_id, created_at) = (contact.id, contact.created_at);
    if rng.chance(15) {
        for _ in 0..1 + rng.below(2) {
            let at = created_at + (rng.next() % ((now - created_at).max(1) as u64)) as i64;
            crate::db::query(
                "INSERT INTO notes (account_id, contact_id, user_id, content, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(account)
            .bind(contact_id)
            .bind(rng.pick(agents))
            .bind(rng.pick(NOTES))
            .bind(at)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}
