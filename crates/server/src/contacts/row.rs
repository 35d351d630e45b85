//! Reading contacts out of the database into the wire type.

use novatalks_model::around::InboxSummary;
use novatalks_model::{Contact, ContactInbox};
use serde_json::{Map, Value};

use crate::db::JsonText;
use crate::AppError;

/// The columns every contact read selects (alias `c`), with the [ext] labels and
/// conversation count computed per row so the SPA needs no request per row. The labels
/// come joined by commas (`string_agg`, which both engines have; a title has no comma).
macro_rules! contact_columns {
    () => {
        "c.id, c.name, c.email, c.phone_number, c.identifier, c.thumbnail,
    c.additional_attributes, c.custom_attributes, c.blocked, c.blocked_until, c.block_reason,
    c.last_activity_at, c.created_at,
    (SELECT string_agg(title, ',' ORDER BY title) FROM contact_labels
        WHERE contact_id = c.id) AS labels,
    (SELECT count(*) FROM conversations WHERE contact_id = c.id) AS conversations_count"
    };
}
pub(crate) use contact_columns;

/// `SELECT <contact columns> FROM contacts c`.
pub const CONTACT_SELECT: &str = concat!("SELECT ", contact_columns!(), " FROM contacts c");

#[derive(Debug, sqlx::FromRow)]
pub struct ContactRow {
    pub id: i64,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub identifier: Option<String>,
    pub thumbnail: String,
    pub additional_attributes: JsonText,
    pub custom_attributes: JsonText,
    pub blocked: bool,
    pub blocked_until: Option<i64>,
    pub block_reason: Option<String>,
    pub last_activity_at: Option<i64>,
    pub created_at: i64,
    pub labels: Option<String>,
    pub conversations_count: i64,
}

/// Whether a stored block is in force at `now`: a block whose time has passed is over by
/// itself, with no job having to run.
pub fn block_in_force(blocked: bool, blocked_until: Option<i64>, now: i64) -> bool {
    blocked && blocked_until.is_none_or(|until| until > now)
}

impl ContactRow {
    /// The contact as the API shows it at `now` (the block's expiry applied).
    pub fn into_contact(self, now: i64) -> Contact {
        let blocked = block_in_force(self.blocked, self.blocked_until, now);
        Contact {
            id: self.id,
            // Chatwoot's column is NOT NULL with an empty default: a nameless contact reads
            // `""`, never `null` (the SPA's `display_name` treats both as no name).
            name: Some(self.name.unwrap_or_default()),
            email: self.email,
            phone_number: self.phone_number,
            identifier: self.identifier,
            thumbnail: self.thumbnail,
            availability_status: Some("offline".to_owned()),
            blocked,
            blocked_until: self.blocked_until.filter(|_| blocked),
            block_reason: self.block_reason.filter(|_| blocked),
            additional_attributes: json_object(&self.additional_attributes),
            custom_attributes: json_object(&self.custom_attributes),
            labels: self
                .labels
                .map(|joined| joined.split(',').map(str::to_owned).collect())
                .unwrap_or_default(),
            conversations_count: Some(self.conversations_count),
            // Filled by [`attach_contact_inboxes`], one query for a whole page.
            contact_inboxes: Vec::new(),
            last_activity_at: self.last_activity_at,
            created_at: Some(self.created_at),
        }
    }
}

fn json_object(text: &str) -> Map<String, Value> {
    serde_json::from_str(text).unwrap_or_default()
}

/// One contact of the account, or 404 (also when it belongs to another account).
pub async fn fetch_contact(
    db: &crate::db::Db,
    account_id: i64,
    id: i64,
) -> Result<Contact, AppError> {
    let mut conn = db.acquire().await?;
    crate::contacts::write::read_contact(&mut conn, account_id, id).await
}

/// An identity row: the contact, its address in the inbox, the inbox.
#[derive(Debug, sqlx::FromRow)]
struct ContactInboxRow {
    contact_id: i64,
    source_id: String,
    inbox_id: i64,
    inbox_name: String,
    channel_type: String,
}

/// Fills each contact's `contact_inboxes` (Chatwoot's contact JSON carries them), with
/// one query for all of `contacts`, in the order the identities were made.
pub async fn attach_contact_inboxes(
    conn: &mut crate::db::Conn,
    contacts: &mut [Contact],
) -> Result<(), sqlx::Error> {
    if contacts.is_empty() {
        return Ok(());
    }
    let mut q = crate::db::Builder::new(
        "SELECT ci.contact_id, ci.source_id, i.id AS inbox_id, i.name AS inbox_name, i.channel_type
           FROM contact_inboxes ci JOIN inboxes i ON i.id = ci.inbox_id
          WHERE ci.contact_id IN (",
    );
    {
        let mut ids = q.separated(", ");
        for contact in contacts.iter() {
            ids.push_bind(contact.id);
        }
    }
    q.push(") ORDER BY ci.contact_id, ci.id");
    let rows: Vec<ContactInboxRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    for row in rows {
        if let Some(contact) = contacts.iter_mut().find(|c| c.id == row.contact_id) {
            contact.contact_inboxes.push(ContactInbox {
                source_id: row.source_id,
                inbox: InboxSummary {
                    id: row.inbox_id,
                    name: row.inbox_name,
                    channel_type: row.channel_type,
                }
                .into(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::block_in_force;

    #[test]
    fn a_block_ends_by_itself_when_its_time_passes() {
        assert!(block_in_force(true, None, 100), "no expiry: forever");
        assert!(block_in_force(true, Some(101), 100));
        assert!(
            !block_in_force(true, Some(100), 100),
            "over from that second"
        );
        assert!(!block_in_force(false, Some(200), 100));
    }
}
