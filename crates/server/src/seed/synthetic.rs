//! Synthetic contacts in bulk, for benchmarks (`--seed-synthetic N`).

use serde_json::json;

use super::catalog::LABELS;
use super::people::{diversify_surname, person};
use super::rng::Rng;
use super::DAY;
use crate::AppError;

/// Adds `n` synthetic contacts to the demo account (the first account), in big batches.
/// Returns a line saying how many and how fast.
pub async fn synthetic(db: &crate::db::Db, n: u64) -> Result<String, AppError> {
    let started = std::time::Instant::now();
    let account: i64 = crate::db::query_scalar("SELECT min(id) FROM accounts")
        .fetch_one(db)
        .await?;
    let already: i64 =
        crate::db::query_scalar("SELECT count(*) FROM contacts WHERE account_id = ?")
            .bind(account)
            .fetch_one(db)
            .await?;
    let now = crate::db::now();
    let mut rng = Rng(0x5EED ^ already as u64);
    // Serials far above the demo's, so numbers and emails never collide with it.
    let base = 1_000_000 + already as u64;
    // One connection with a big page cache, and tens of thousands of rows a transaction:
    // the ten sort indexes and two full-text indexes stay in memory while they grow.
    // (SQLite's page cache is per connection: the pool's are small, so one connection
    // with a big one takes every batch. PostgreSQL's buffers are the server's.)
    let mut conn = db.acquire().await?;
    if conn.engine() == crate::db::Engine::Sqlite {
        crate::db::query("PRAGMA cache_size = -524288")
            .execute(&mut conn)
            .await?;
    }
    const BATCH: u64 = 500;
    const BATCHES_PER_TRANSACTION: u64 = 100;
    let mut done = 0u64;
    while done < n {
        // A write transaction as `db::write_tx` opens it, on this one connection: SQLite's
        // write lock up front, or PostgreSQL's advisory write lock, so agents' writes
        // take turns with the seed's.
        match conn.engine() {
            crate::db::Engine::Sqlite => {
                crate::db::query("BEGIN IMMEDIATE")
                    .execute(&mut conn)
                    .await?;
            }
            crate::db::Engine::Postgres => {
                crate::db::query("BEGIN").execute(&mut conn).await?;
                crate::db::query("SELECT pg_advisory_xact_lock(?)")
                    .bind(crate::db::WRITE_LOCK)
                    .execute(&mut conn)
                    .await?;
            }
        }
        for _ in 0..BATCHES_PER_TRANSACTION {
            if done >= n {
                break;
            }
            let size = BATCH.min(n - done);
            let mut qb = crate::db::Builder::new(
                "INSERT INTO contacts (account_id, name, email, phone_number, identifier,
                   additional_attributes, created_at, updated_at, last_activity_at) ",
            );
            let mut labels = Vec::new();
            qb.push_values(0..size, |mut row, k| {
                let serial = base + done + k;
                let mut p = person(&mut rng, serial);
                diversify_surname(&mut rng, &mut p);
                let created_at = now - 1_000 * DAY + (rng.next() % (995 * DAY as u64)) as i64;
                let last = rng
                    .chance(80)
                    .then(|| created_at + (rng.next() % ((now - created_at) as u64)) as i64);
                let language = json!({ "language": p.language });
                row.push_bind(account)
                    .push_bind(p.name)
                    .push_bind(p.email)
                    .push_bind(p.phone)
                    .push_bind(rng.chance(30).then(|| format!("syn-{serial}")))
                    .push_bind(language)
                    .push_bind(created_at)
                    .push_bind(created_at)
                    .push_bind(last);
                if rng.chance(30) {
                    labels.push((k, rng.pick(LABELS).0));
                }
            });
            qb.push(" RETURNING id");
            let ids: Vec<i64> = qb.build_query_scalar().fetch_all(&mut conn).await?;
            if !labels.is_empty() {
                let mut lq = crate::db::Builder::new(
                    "INSERT INTO contact_labels (contact_id, account_id, title) ",
                );
                lq.push_values(labels, |mut row, (k, title)| {
                    row.push_bind(ids.get(k as usize).copied().unwrap_or_default())
                        .push_bind(account)
                        .push_bind(title);
                });
                lq.build().execute(&mut conn).await?;
            }
            done += size;
        }
        crate::db::query("COMMIT").execute(&mut conn).await?;
    }
    if conn.engine() == crate::db::Engine::Sqlite {
        crate::db::query("PRAGMA cache_size = -2000")
            .execute(&mut conn)
            .await?;
    }
    drop(conn);
    crate::db::refresh_statistics(db, crate::db::CONTACT_TABLES).await?;
    let secs = started.elapsed().as_secs_f64();
    Ok(format!(
        "seeded {n} synthetic contacts in {secs:.1} s ({:.0} per minute)",
        n as f64 / secs.max(1e-9) * 60.0
    ))
}
