//! The database side of an import, in one transaction: the accepted rows go into a
//! temporary table (`import_rows`, with `import_labels`), are matched to the account's
//! contacts set-based (by identifier, then email in any case, then phone), rows that
//! would match one contact twice or take a value another contact holds are refused, and
//! (unless a dry run) the rest is written with a few statements joined to that table:
//! the before-values of updated contacts copied for the undo, one `UPDATE … FROM`, one
//! `INSERT … SELECT` of the new contacts (their ids handed out first, so their labels and
//! the undo can name them), the labels, the new attribute definitions. Any failure rolls
//! the whole transaction back.

use std::collections::{BTreeMap, HashMap};

use novatalks_model::import::OnMatch;
use novatalks_model::CustomAttributeDefinition;

use super::read::{Refusal, Sheet};
use super::wording::shown;
use crate::db::JsonText;
use crate::db::{Conn, Engine};
use crate::AppError;

/// Rows per `INSERT` into the temporary tables.
const BATCH: usize = 500;

/// What the matching decided, and (after [`apply`]) did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub created: u64,
    pub updated: u64,
    pub skipped: u64,
    /// Labels the import creates in the account: the titles of the file that can be an
    /// account label's and are none yet (any other title only tags its contacts).
    pub new_labels: Vec<String>,
}

fn temp_tables(engine: Engine) -> [&'static str; 2] {
    match engine {
        Engine::Sqlite => [
            "CREATE TEMP TABLE IF NOT EXISTS import_rows (line INTEGER PRIMARY KEY, name TEXT, email TEXT,
               phone TEXT, identifier TEXT, additional TEXT NOT NULL, custom TEXT NOT NULL,
               match_id INTEGER, matched_by TEXT, action TEXT, new_id INTEGER)",
            "CREATE TEMP TABLE IF NOT EXISTS import_labels (line INTEGER NOT NULL, title TEXT NOT NULL,
               mint INTEGER NOT NULL, PRIMARY KEY (line, title))",
        ],
        Engine::Postgres => [
            "CREATE TEMP TABLE import_rows (line BIGINT PRIMARY KEY, name TEXT, email TEXT,
               phone TEXT, identifier TEXT, additional JSONB NOT NULL, custom JSONB NOT NULL,
               match_id BIGINT, matched_by TEXT, action TEXT, new_id BIGINT) ON COMMIT DROP",
            "CREATE TEMP TABLE import_labels (line BIGINT NOT NULL, title TEXT NOT NULL,
               mint BOOLEAN NOT NULL, PRIMARY KEY (line, title)) ON COMMIT DROP",
        ],
    }
}

/// Empties the temporary tables (SQLite's outlive the transaction).
pub async fn clear(tx: &mut Conn) -> Result<(), AppError> {
    if tx.engine() == Engine::Sqlite {
        for table in ["import_rows", "import_labels"] {
            crate::db::query(format!("DELETE FROM {table}"))
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}

/// Loads the accepted rows, matches them and refuses what cannot be applied (into
/// `sheet.refused`); the counts of what the rest does. Changes no contact.
pub async fn plan(
    tx: &mut Conn,
    account_id: i64,
    sheet: &mut Sheet,
    on_match: OnMatch,
) -> Result<Outcome, AppError> {
    let engine = tx.engine();
    for sql in temp_tables(engine) {
        crate::db::query(sql).execute(&mut *tx).await?;
    }
    clear(tx).await?;
    for chunk in sheet.accepted.chunks(BATCH) {
        let mut qb = crate::db::Builder::new(
            "INSERT INTO import_rows (line, name, email, phone, identifier, additional, custom)",
        );
        qb.push_values(chunk, |mut row, d| {
            row.push_bind(d.line as i64)
                .push_bind(d.name.clone())
                .push_bind(d.email.clone())
                .push_bind(d.phone.clone())
                .push_bind(d.identifier.clone())
                .push_bind(JsonText(d.additional.clone()))
                .push_bind(JsonText(d.custom.clone()));
        });
        qb.build().execute(&mut *tx).await?;
    }
    let labels: Vec<(i64, &String)> = sheet
        .accepted
        .iter()
        .flat_map(|d| d.labels.iter().map(move |t| (d.line as i64, t)))
        .collect();
    for chunk in labels.chunks(BATCH * 2) {
        let mut qb = crate::db::Builder::new("INSERT INTO import_labels (line, title, mint)");
        qb.push_values(chunk, |mut row, (line, title)| {
            // Any title tags the contact (the rule of a contact's labels); one that can be
            // an account label's title and is none yet becomes one, the others stay tags.
            let mint = novatalks_model::rules::label_title_problem(title).is_none();
            row.push_bind(*line)
                .push_bind((*title).clone())
                .push_bind(mint);
        });
        qb.build().execute(&mut *tx).await?;
    }
    if engine == Engine::Postgres {
        // A fresh temporary table has no statistics: the planner would guess its size.
        crate::db::query("ANALYZE import_rows")
            .execute(&mut *tx)
            .await?;
    }

    // Identifier, then email in any case, then phone (E.164 on both sides).
    let email_is = engine.pick(
        "c.email = r.email COLLATE NOCASE",
        "fold(c.email) = fold(r.email)",
    );
    for (by, column, equal) in [
        ("identifier", "identifier", "c.identifier = r.identifier"),
        ("email", "email", email_is),
        ("phone", "phone", "c.phone_number = r.phone"),
    ] {
        let sql = match engine {
            Engine::Sqlite => format!(
                "UPDATE import_rows AS r SET matched_by = '{by}', match_id =
                   (SELECT c.id FROM contacts c WHERE c.account_id = ? AND {equal})
                 WHERE r.match_id IS NULL AND r.{column} IS NOT NULL
                   AND EXISTS (SELECT 1 FROM contacts c WHERE c.account_id = ? AND {equal})"
            ),
            Engine::Postgres => format!(
                "UPDATE import_rows AS r SET matched_by = '{by}', match_id = c.id
                 FROM contacts c
                 WHERE c.account_id = ? AND {equal} AND r.match_id IS NULL"
            ),
        };
        let mut q = crate::db::query(sql).bind(account_id);
        if engine == Engine::Sqlite {
            q = q.bind(account_id);
        }
        q.execute(&mut *tx).await?;
    }

    // One contact matched by two rows: the later ones are refused.
    #[derive(sqlx::FromRow)]
    struct Matched {
        line: i64,
        match_id: i64,
        matched_by: String,
    }
    let matched: Vec<Matched> = crate::db::query_as(
        "SELECT line, match_id, matched_by FROM import_rows WHERE match_id IS NOT NULL ORDER BY line",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut first_line: HashMap<i64, i64> = HashMap::new();
    let mut refuse: BTreeMap<usize, Refusal> = BTreeMap::new();
    for m in &matched {
        match first_line.get(&m.match_id) {
            Some(first) => {
                refuse.insert(
                    m.line as usize,
                    Refusal {
                        column: None,
                        what: format!(
                            "matches the same contact as line {first} (contact {}, by its {}): one row per contact (this row is left out)",
                            m.match_id, m.matched_by
                        ),
                    },
                );
            }
            None => {
                first_line.insert(m.match_id, m.line);
            }
        }
    }
    drop_lines(tx, &refuse).await?;
    merge_refusals(sheet, &mut refuse);

    let action = match on_match {
        OnMatch::Update => "update",
        OnMatch::Skip => "skip",
    };
    crate::db::query(format!(
        "UPDATE import_rows SET action = CASE WHEN match_id IS NULL THEN 'create' ELSE '{action}' END"
    ))
    .execute(&mut *tx)
    .await?;

    // An updated contact cannot take an email, phone or identifier another contact holds.
    if on_match == OnMatch::Update {
        #[derive(sqlx::FromRow)]
        struct Taken {
            line: i64,
            what: String,
            value: String,
            holder: i64,
            match_id: i64,
            matched_by: String,
        }
        let mut taken: Vec<Taken> = Vec::new();
        for (what, column, equal) in [
            ("email", "email", email_is),
            ("phone number", "phone", "c.phone_number = r.phone"),
            ("identifier", "identifier", "c.identifier = r.identifier"),
        ] {
            let rows: Vec<Taken> = crate::db::query_as(format!(
                "SELECT r.line, '{what}' AS what, r.{column} AS value, c.id AS holder, r.match_id, r.matched_by
                 FROM import_rows r JOIN contacts c ON c.account_id = ? AND {equal}
                 WHERE r.action = 'update' AND r.{column} IS NOT NULL AND c.id <> r.match_id"
            ))
            .bind(account_id)
            .fetch_all(&mut *tx)
            .await?;
            taken.extend(rows);
        }
        let mut refuse: BTreeMap<usize, Refusal> = BTreeMap::new();
        for t in taken {
            refuse.entry(t.line as usize).or_insert(Refusal {
                column: None,
                what: format!(
                    "the {} {} is contact {}'s, but the row's {} is contact {}'s: the row is left out",
                    t.what,
                    shown(&t.value),
                    t.holder,
                    t.matched_by,
                    t.match_id
                ),
            });
        }
        drop_lines(tx, &refuse).await?;
        merge_refusals(sheet, &mut refuse);
        over_labels(tx, sheet).await?;
    }

    let mut outcome = Outcome::default();
    #[derive(sqlx::FromRow)]
    struct Count {
        action: String,
        n: i64,
    }
    let counts: Vec<Count> =
        crate::db::query_as("SELECT action, count(*) AS n FROM import_rows GROUP BY action")
            .fetch_all(&mut *tx)
            .await?;
    for c in counts {
        let n = c.n.max(0) as u64;
        match c.action.as_str() {
            "create" => outcome.created = n,
            "update" => outcome.updated = n,
            _ => outcome.skipped = n,
        }
    }
    outcome.new_labels = crate::db::query_scalar(
        "SELECT DISTINCT l.title FROM import_labels l JOIN import_rows r ON r.line = l.line
         WHERE r.action IN ('create', 'update') AND l.mint = TRUE
           AND NOT EXISTS (SELECT 1 FROM labels x WHERE x.account_id = ? AND x.title = l.title)
         ORDER BY l.title",
    )
    .bind(account_id)
    .fetch_all(&mut *tx)
    .await?;
    Ok(outcome)
}

/// Updated contacts that would carry more labels than a contact may.
async fn over_labels(tx: &mut Conn, sheet: &mut Sheet) -> Result<(), AppError> {
    let max = novatalks_model::rules::MAX_LABELS_PER_CONTACT as i64;
    let lines: Vec<i64> = crate::db::query_scalar(
        "SELECT r.line FROM import_rows r
         WHERE r.action = 'update'
           AND (SELECT count(*) FROM contact_labels cl WHERE cl.contact_id = r.match_id)
             + (SELECT count(*) FROM import_labels il WHERE il.line = r.line
                  AND NOT EXISTS (SELECT 1 FROM contact_labels cl WHERE cl.contact_id = r.match_id AND cl.title = il.title))
             > ?",
    )
    .bind(max)
    .fetch_all(&mut *tx)
    .await?;
    let mut refuse: BTreeMap<usize, Refusal> = lines
        .into_iter()
        .map(|line| {
            (
                line as usize,
                Refusal {
                    column: None,
                    what: format!(
                        "the contact would have more than {max} labels with the row's: the row is left out"
                    ),
                },
            )
        })
        .collect();
    drop_lines(tx, &refuse).await?;
    merge_refusals(sheet, &mut refuse);
    Ok(())
}

/// Removes refused lines from the temporary tables.
async fn drop_lines(tx: &mut Conn, lines: &BTreeMap<usize, Refusal>) -> Result<(), AppError> {
    if lines.is_empty() {
        return Ok(());
    }
    let engine = tx.engine();
    let lines: Vec<i64> = lines.keys().map(|l| *l as i64).collect();
    for table in ["import_rows", "import_labels"] {
        let mut qb = crate::db::Builder::new(format!("DELETE FROM {table} WHERE line IN ("));
        crate::bulk::selection::push_id_set(&mut qb, engine, &lines);
        qb.push(")");
        qb.build().execute(&mut *tx).await?;
    }
    Ok(())
}

fn merge_refusals(sheet: &mut Sheet, refuse: &mut BTreeMap<usize, Refusal>) {
    if refuse.is_empty() {
        return;
    }
    sheet.accepted.retain(|d| !refuse.contains_key(&d.line));
    for (line, r) in std::mem::take(refuse) {
        sheet.refused.entry(line).or_default().push(r);
    }
}

/// Writes what [`plan`] decided, recording the undo under `import_id`: the definitions,
/// the labels, the before-values of the updated contacts, the updates, the new contacts.
pub async fn apply(
    tx: &mut Conn,
    account_id: i64,
    import_id: i64,
    new_definitions: &[CustomAttributeDefinition],
    now: i64,
) -> Result<(), AppError> {
    let engine = tx.engine();
    for d in new_definitions {
        let inserted = crate::db::query(
            "INSERT INTO custom_attribute_definitions (account_id, attribute_key, attribute_display_name,
               attribute_display_type, attribute_values, attribute_model, created_at)
             VALUES (?, ?, ?, ?, '[]', ?, ?)",
        )
        .bind(account_id)
        .bind(&d.attribute_key)
        .bind(&d.attribute_display_name)
        .bind(&d.attribute_display_type)
        .bind(&d.attribute_model)
        .bind(now)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(AppError::invalid(
                    "mapping",
                    format!(
                        "The custom attribute '{}' was created meanwhile: map the column to it with \"target\": \"custom_attribute\"",
                        d.attribute_key
                    ),
                ))
            }
            Err(e) => return Err(e.into()),
        }
    }
    crate::db::query(
        "INSERT INTO labels (account_id, title)
         SELECT DISTINCT ?, l.title FROM import_labels l JOIN import_rows r ON r.line = l.line
         WHERE r.action IN ('create', 'update') AND l.mint = TRUE
         ON CONFLICT (account_id, title) DO NOTHING",
    )
    .bind(account_id)
    .execute(&mut *tx)
    .await?;

    // The undo's copy, before anything changes.
    crate::db::query(
        "INSERT INTO contact_import_updated (import_id, contact_id, name, email, phone_number, identifier,
           additional_attributes, custom_attributes, updated_at)
         SELECT ?, c.id, c.name, c.email, c.phone_number, c.identifier, c.additional_attributes,
           c.custom_attributes, c.updated_at
         FROM import_rows r JOIN contacts c ON c.id = r.match_id
         WHERE r.action = 'update'",
    )
    .bind(import_id)
    .execute(&mut *tx)
    .await?;
    crate::db::query(
        "INSERT INTO contact_import_labels (import_id, contact_id, title)
         SELECT ?, r.match_id, l.title FROM import_labels l JOIN import_rows r ON r.line = l.line
         WHERE r.action = 'update'
           AND NOT EXISTS (SELECT 1 FROM contact_labels cl WHERE cl.contact_id = r.match_id AND cl.title = l.title)",
    )
    .bind(import_id)
    .execute(&mut *tx)
    .await?;

    let merge = |column: &str| match engine {
        Engine::Sqlite => format!("json_patch(c.{column}, r.{})", short(column)),
        Engine::Postgres => format!("c.{column} || r.{}", short(column)),
    };
    crate::db::query(format!(
        "UPDATE contacts AS c SET name = coalesce(r.name, c.name), email = coalesce(r.email, c.email),
           phone_number = coalesce(r.phone, c.phone_number), identifier = coalesce(r.identifier, c.identifier),
           additional_attributes = {}, custom_attributes = {}, updated_at = ?
         FROM import_rows r
         WHERE r.action = 'update' AND r.match_id = c.id AND c.account_id = ?",
        merge("additional_attributes"),
        merge("custom_attributes")
    ))
    .bind(now)
    .bind(account_id)
    .execute(&mut *tx)
    .await?;

    // New contacts' ids, handed out before they are written: SQLite's next rowids (no
    // other writer runs in this transaction), PostgreSQL's identity sequence.
    match engine {
        Engine::Sqlite => {
            let base: i64 = crate::db::query_scalar("SELECT coalesce(max(id), 0) FROM contacts")
                .fetch_one(&mut *tx)
                .await?;
            crate::db::query(
                "UPDATE import_rows AS r SET new_id = ? + n.k
                 FROM (SELECT line, row_number() OVER (ORDER BY line) AS k FROM import_rows WHERE action = 'create') AS n
                 WHERE n.line = r.line",
            )
            .bind(base)
            .execute(&mut *tx)
            .await?;
        }
        Engine::Postgres => {
            crate::db::query(
                "UPDATE import_rows SET new_id = nextval(pg_get_serial_sequence('contacts', 'id'))
                 WHERE action = 'create'",
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    crate::db::query(
        "INSERT INTO contacts (id, account_id, name, email, phone_number, identifier, additional_attributes,
           custom_attributes, created_at, updated_at)
         SELECT new_id, ?, name, email, phone, identifier, additional, custom, ?, ?
         FROM import_rows WHERE action = 'create' ORDER BY line",
    )
    .bind(account_id)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // A reused id must not inherit a merge record of the contact it once was.
    crate::db::query(
        "DELETE FROM contact_merges WHERE mergee_contact_id IN
           (SELECT new_id FROM import_rows WHERE action = 'create')",
    )
    .execute(&mut *tx)
    .await?;
    crate::db::query(
        "INSERT INTO contact_import_created (import_id, contact_id)
         SELECT ?, new_id FROM import_rows WHERE action = 'create'",
    )
    .bind(import_id)
    .execute(&mut *tx)
    .await?;
    crate::db::query(
        "INSERT INTO contact_labels (contact_id, account_id, title)
         SELECT coalesce(r.new_id, r.match_id), ?, l.title
         FROM import_labels l JOIN import_rows r ON r.line = l.line
         WHERE r.action IN ('create', 'update')
         ON CONFLICT (contact_id, title) DO NOTHING",
    )
    .bind(account_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The temporary table's column of a contact's attribute map.
fn short(column: &str) -> &'static str {
    if column == "additional_attributes" {
        "additional"
    } else {
        "custom"
    }
}
