//! Many agents at once, the way production runs: a database file opened with the
//! production pool and connection settings (`db::open`), the real server over real HTTP,
//! many requests in flight together. Every test asserts that no answer is a 5xx, that
//! every acknowledged write is there afterwards, and that a race ends in an answer a
//! person understands (the loser of a delete or merge gets a JSON 404).

#[path = "common/live.rs"]
mod live;

use std::collections::BTreeSet;
use std::time::Duration;

use live::{server_errors, Client, Live, Reply};
use novatalks_server::AppError;
use serde_json::{json, Value};
use tokio::task::JoinSet;

/// A contact created through the API; its id.
async fn create(agent: &Client, body: Value) -> i64 {
    let r = agent.post("/contacts", body).await;
    assert_eq!(r.status, 200, "create: {}", r.text);
    r.body["payload"]["contact"]["id"]
        .as_i64()
        .expect("contact id")
}

async fn set_labels(agent: &Client, id: i64, labels: &[&str]) -> Reply {
    agent
        .post(
            &format!("/contacts/{id}/labels"),
            json!({ "labels": labels }),
        )
        .await
}

async fn add_note(agent: &Client, id: i64, content: &str) -> Reply {
    agent
        .post(
            &format!("/contacts/{id}/notes"),
            json!({ "content": content }),
        )
        .await
}

async fn merge(agent: &Client, base: i64, mergee: i64) -> Reply {
    agent
        .post(
            "/actions/contact_merge",
            json!({"base_contact_id": base, "mergee_contact_id": mergee}),
        )
        .await
}

async fn labels_of(agent: &Client, id: i64) -> BTreeSet<String> {
    let r = agent.get(&format!("/contacts/{id}/labels")).await;
    assert_eq!(r.status, 200, "labels of {id}: {}", r.text);
    r.body["payload"]
        .as_array()
        .expect("titles")
        .iter()
        .map(|t| t.as_str().expect("title").to_owned())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The answer of a race's loser: a JSON 404 with a sentence, never a 5xx.
fn assert_lost_cleanly(what: &str, r: &Reply) {
    assert_eq!(r.status, 404, "{what}: {}", r.text);
    assert!(
        r.body["error"].as_str().is_some_and(|e| e.len() > 10),
        "{what}: the 404 says why in the contract's shape: {}",
        r.text
    );
}

/// Rows left pointing at contacts that no longer exist (the schema's foreign keys and
/// cascades should make this impossible; a race must not get around them).
async fn orphans(live: &Live) -> i64 {
    let mut total = 0;
    for table in [
        "notes",
        "contact_labels",
        "conversations",
        "contact_inboxes",
    ] {
        // Table names are the test's own, never input.
        let n: i64 = novatalks_server::db::query_scalar(format!(
            "SELECT count(*) FROM {table} WHERE contact_id NOT IN (SELECT id FROM contacts)"
        ))
        .fetch_one(&live.db)
        .await
        .expect("orphan count");
        total += n;
    }
    total
}

async fn email_inbox(live: &Live) -> i64 {
    live.a
        .inboxes
        .iter()
        .find(|(_, kind)| *kind == "Channel::Email")
        .map(|(id, _)| *id)
        .expect("an email inbox")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_agents_creating_and_editing_at_once_lose_nothing() {
    const WRITERS: usize = 64;
    const EDITS: usize = 4;
    let live = Live::start().await;
    let mut tasks = JoinSet::new();
    for w in 0..WRITERS {
        let agent = if w % 2 == 0 {
            live.agent()
        } else {
            live.second_agent()
        };
        tasks.spawn(async move {
            let mut replies: Vec<(String, Reply)> = Vec::new();
            let created = agent
                .post(
                    "/contacts",
                    json!({"name": format!("Writer {w}"), "email": format!("writer{w}@example.com")}),
                )
                .await;
            let id = created.body["payload"]["contact"]["id"].as_i64();
            replies.push((format!("create {w}"), created));
            let mut acknowledged = None;
            if let Some(id) = id {
                acknowledged = Some(format!("Writer {w}"));
                for e in 0..EDITS {
                    let name = format!("Writer {w} edit {e}");
                    let r = agent
                        .put(
                            &format!("/contacts/{id}"),
                            json!({"name": name, "additional_attributes": {"city": format!("City {e}")}}),
                        )
                        .await;
                    if r.status == 200 {
                        acknowledged = Some(name);
                    }
                    replies.push((format!("edit {w}/{e}"), r));
                    let r = agent.get("/contacts?page=1").await;
                    replies.push((format!("list {w}/{e}"), r));
                }
            }
            (id, acknowledged, replies)
        });
    }
    let mut all = Vec::new();
    let mut acknowledged = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (id, name, replies) = done.expect("writer task");
        all.extend(replies);
        if let (Some(id), Some(name)) = (id, name) {
            acknowledged.push((id, name));
        }
    }
    let errors = server_errors(&all);
    assert!(
        errors.is_empty(),
        "{} of {} answers were 5xx, e.g. {:?}",
        errors.len(),
        all.len(),
        errors.iter().take(3).collect::<Vec<_>>()
    );
    let refused: Vec<_> = all.iter().filter(|(_, r)| r.status != 200).collect();
    assert!(
        refused.is_empty(),
        "nothing here conflicts, so every write is acknowledged: {refused:?}"
    );
    assert_eq!(acknowledged.len(), WRITERS);
    let agent = live.agent();
    for (id, name) in &acknowledged {
        let r = agent.get(&format!("/contacts/{id}")).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(
            r.body["payload"]["name"], *name,
            "the last acknowledged edit is what is stored"
        );
        assert_eq!(
            r.body["payload"]["additional_attributes"]["city"],
            format!("City {}", EDITS - 1)
        );
    }
    let stored: i64 =
        novatalks_server::db::query_scalar("SELECT count(*) FROM contacts WHERE account_id = ?")
            .bind(live.a.account_id)
            .fetch_one(&live.db)
            .await
            .expect("count");
    assert_eq!(stored, WRITERS as i64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_agents_editing_different_contacts_and_their_labels_both_land() {
    const ROUNDS: usize = 20;
    const LABELS: [&str; 4] = ["vip", "billing", "support", "lead"];
    let live = Live::start().await;
    let first = live.agent();
    let second = live.second_agent();
    let x = create(&first, json!({"name": "X"})).await;
    let y = create(&second, json!({"name": "Y"})).await;
    let run = |agent: Client, id: i64, who: &'static str| async move {
        let mut replies = Vec::new();
        for round in 0..ROUNDS {
            let r = agent
                .put(
                    &format!("/contacts/{id}"),
                    json!({"name": format!("{who} {round}")}),
                )
                .await;
            replies.push((format!("{who} edit {round}"), r));
            let labels = [LABELS[round % 4], LABELS[(round + 1) % 4]];
            let r = set_labels(&agent, id, &labels).await;
            replies.push((format!("{who} labels {round}"), r));
        }
        replies
    };
    let (a, b) = tokio::join!(
        tokio::spawn(run(first.clone(), x, "first")),
        tokio::spawn(run(second.clone(), y, "second"))
    );
    let all: Vec<(String, Reply)> = a
        .expect("first")
        .into_iter()
        .chain(b.expect("second"))
        .collect();
    let failed: Vec<String> = all
        .iter()
        .filter(|(_, r)| r.status != 200)
        .map(|(what, r)| format!("{what}: {} {}", r.status, r.text))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} writes failed, e.g. {:?}",
        failed.len(),
        all.len(),
        failed.iter().take(3).collect::<Vec<_>>()
    );
    let last = ROUNDS - 1;
    for (id, who) in [(x, "first"), (y, "second")] {
        let r = first.get(&format!("/contacts/{id}")).await;
        assert_eq!(r.body["payload"]["name"], format!("{who} {last}"));
        assert_eq!(
            labels_of(&first, id).await,
            set(&[LABELS[last % 4], LABELS[(last + 1) % 4]])
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_customer_created_by_many_agents_at_once_exists_once() {
    const TIMES: usize = 12;
    let live = Live::start().await;
    let mut tasks = JoinSet::new();
    for n in 0..TIMES {
        let agent = if n % 2 == 0 {
            live.agent()
        } else {
            live.second_agent()
        };
        tasks.spawn(async move {
            agent
                .post(
                    "/contacts",
                    json!({"name": format!("Olena {n}"), "email": "olena@example.com"}),
                )
                .await
        });
    }
    let mut replies = Vec::new();
    while let Some(r) = tasks.join_next().await {
        replies.push(("create".to_owned(), r.expect("create task")));
    }
    let errors = server_errors(&replies);
    assert!(
        errors.is_empty(),
        "{} of {TIMES} creates were 5xx: {errors:?}",
        errors.len()
    );
    let created: Vec<i64> = replies
        .iter()
        .filter(|(_, r)| r.status == 200)
        .filter_map(|(_, r)| r.body["payload"]["contact"]["id"].as_i64())
        .collect();
    assert_eq!(created.len(), 1, "one contact has the email: {replies:?}");
    for (_, r) in replies.iter().filter(|(_, r)| r.status != 200) {
        assert_eq!(r.status, 422, "{}", r.text);
        assert_eq!(r.body["attributes"], json!(["email"]), "{}", r.text);
        assert_eq!(
            r.body["conflict_contact_id"], created[0],
            "names the one that has it"
        );
    }
    let stored: i64 = novatalks_server::db::query_scalar(
        "SELECT count(*) FROM contacts WHERE email = 'olena@example.com'",
    )
    .fetch_one(&live.db)
    .await
    .expect("count");
    assert_eq!(stored, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_merge_sent_many_times_at_once_succeeds_once() {
    const TIMES: usize = 16;
    let live = Live::start().await;
    let agent = live.agent();
    let base = create(&agent, json!({"name": "Base"})).await;
    let mergee = create(
        &agent,
        json!({"name": "Mergee", "email": "mergee@example.com"}),
    )
    .await;
    assert_eq!(
        add_note(&agent, mergee, "the mergee's note").await.status,
        200
    );
    assert_eq!(set_labels(&agent, mergee, &["vip"]).await.status, 200);

    let mut tasks = JoinSet::new();
    for _ in 0..TIMES {
        let agent = agent.clone();
        tasks.spawn(async move { merge(&agent, base, mergee).await });
    }
    let mut replies = Vec::new();
    while let Some(r) = tasks.join_next().await {
        replies.push(("merge".to_owned(), r.expect("merge task")));
    }
    let errors = server_errors(&replies);
    assert!(
        errors.is_empty(),
        "{} of {TIMES} merges were 5xx: {errors:?}",
        errors.len()
    );
    let succeeded = replies.iter().filter(|(_, r)| r.status == 200).count();
    assert_eq!(succeeded, 1, "exactly one merge happens: {replies:?}");
    for (what, r) in replies.iter().filter(|(_, r)| r.status != 200) {
        assert_lost_cleanly(what, r);
    }

    let r = agent.get(&format!("/contacts/{mergee}")).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body["merged_into"], base);
    let r = agent.get(&format!("/contacts/{base}")).await;
    assert_eq!(r.body["payload"]["email"], "mergee@example.com");
    assert_eq!(labels_of(&agent, base).await, set(&["vip"]));
    let notes = agent.get(&format!("/contacts/{base}/notes")).await;
    assert_eq!(
        notes.body.as_array().map(Vec::len),
        Some(1),
        "{}",
        notes.text
    );
    assert_eq!(orphans(&live).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chained_merges_at_once_end_consistent() {
    const TRIPLES: usize = 8;
    let live = Live::start().await;
    let agent = live.agent();
    let mut triples = Vec::new();
    for t in 0..TRIPLES {
        let a = create(&agent, json!({"name": format!("A{t}")})).await;
        let b = create(&agent, json!({"name": format!("B{t}")})).await;
        let c = create(
            &agent,
            json!({"name": format!("C{t}"), "email": format!("c{t}@example.com")}),
        )
        .await;
        assert_eq!(add_note(&agent, c, "C's note").await.status, 200);
        triples.push((a, b, c));
    }
    let mut tasks = JoinSet::new();
    for (t, &(a, b, c)) in triples.iter().enumerate() {
        let (x, y) = (agent.clone(), agent.clone());
        tasks.spawn(async move {
            let (ab, bc) = tokio::join!(merge(&x, a, b), merge(&y, b, c));
            (t, ab, bc)
        });
    }
    let mut outcomes = Vec::new();
    while let Some(done) = tasks.join_next().await {
        outcomes.push(done.expect("merge pair"));
    }
    let all: Vec<(String, Reply)> = outcomes
        .iter()
        .flat_map(|(t, ab, bc)| {
            [
                (format!("A{t}<-B{t}"), ab.clone()),
                (format!("B{t}<-C{t}"), bc.clone()),
            ]
        })
        .collect();
    let errors = server_errors(&all);
    assert!(
        errors.is_empty(),
        "{} of {} merges were 5xx: {errors:?}",
        errors.len(),
        all.len()
    );

    for (t, ab, bc) in &outcomes {
        let (a, b, c) = triples[*t];
        assert_eq!(
            ab.status, 200,
            "A<-B never loses (B stays while C merges into it): {}",
            ab.text
        );
        let r = agent.get(&format!("/contacts/{b}")).await;
        assert_eq!(r.body["merged_into"], a, "B ended in A");
        let c_now = agent.get(&format!("/contacts/{c}")).await;
        let a_now = agent.get(&format!("/contacts/{a}")).await;
        let a_notes = agent.get(&format!("/contacts/{a}/notes")).await;
        if bc.status == 200 {
            // C went into B before B went into A: all of it is A's now.
            assert_eq!(c_now.status, 404);
            assert_eq!(c_now.body["merged_into"], a, "C leads to where B went");
            assert_eq!(a_now.body["payload"]["email"], format!("c{t}@example.com"));
            assert_eq!(a_notes.body.as_array().map(Vec::len), Some(1));
        } else {
            // B was gone already: C is untouched.
            assert_lost_cleanly("B<-C", bc);
            assert_eq!(c_now.status, 200, "{}", c_now.text);
            assert_eq!(c_now.body["payload"]["email"], format!("c{t}@example.com"));
            let c_notes = agent.get(&format!("/contacts/{c}/notes")).await;
            assert_eq!(c_notes.body.as_array().map(Vec::len), Some(1));
            assert_eq!(a_notes.body.as_array().map(Vec::len), Some(0));
        }
    }
    assert_eq!(orphans(&live).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_label_change_racing_a_merge_lands_on_the_base_or_says_the_contact_is_gone() {
    const PAIRS: usize = 10;
    let live = Live::start().await;
    let agent = live.agent();
    let second = live.second_agent();
    let mut pairs = Vec::new();
    for p in 0..PAIRS {
        let base = create(&agent, json!({"name": format!("Base {p}")})).await;
        let mergee = create(&agent, json!({"name": format!("Mergee {p}")})).await;
        assert_eq!(set_labels(&agent, base, &["billing"]).await.status, 200);
        assert_eq!(set_labels(&agent, mergee, &["support"]).await.status, 200);
        pairs.push((base, mergee));
    }
    let mut tasks = JoinSet::new();
    for &(base, mergee) in &pairs {
        let (x, y) = (agent.clone(), second.clone());
        tasks.spawn(async move {
            let (m, l) = tokio::join!(
                merge(&x, base, mergee),
                set_labels(&y, mergee, &["vip", "lead"])
            );
            (base, m, l)
        });
    }
    let mut outcomes = Vec::new();
    while let Some(done) = tasks.join_next().await {
        outcomes.push(done.expect("race"));
    }
    let all: Vec<(String, Reply)> = outcomes
        .iter()
        .flat_map(|(_, m, l)| {
            [
                ("merge".to_owned(), m.clone()),
                ("labels".to_owned(), l.clone()),
            ]
        })
        .collect();
    let errors = server_errors(&all);
    assert!(
        errors.is_empty(),
        "{} of {} answers were 5xx: {errors:?}",
        errors.len(),
        all.len()
    );
    for (base, m, l) in &outcomes {
        assert_eq!(m.status, 200, "{}", m.text);
        let labels = labels_of(&agent, *base).await;
        if l.status == 200 {
            assert_eq!(
                labels,
                set(&["billing", "lead", "vip"]),
                "the change came first, the merge carried it"
            );
        } else {
            assert_lost_cleanly("labels after the merge", l);
            assert_eq!(labels, set(&["billing", "support"]));
        }
    }
    assert_eq!(orphans(&live).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_racing_an_edit_a_note_a_label_change_and_a_new_conversation() {
    const CONTACTS: usize = 10;
    let live = Live::start().await;
    let agent = live.agent();
    let second = live.second_agent();
    let inbox = email_inbox(&live).await;
    let mut ids = Vec::new();
    for n in 0..CONTACTS {
        ids.push(
            create(
                &agent,
                json!({"name": format!("Doomed {n}"), "email": format!("doomed{n}@example.com")}),
            )
            .await,
        );
    }
    let mut tasks = JoinSet::new();
    for &id in &ids {
        let (x, y) = (agent.clone(), second.clone());
        tasks.spawn(async move {
            let path = format!("/contacts/{id}");
            let (delete, edit, note, labels, conversation) = tokio::join!(
                x.delete(&path),
                y.put(&path, json!({"name": "Renamed"})),
                add_note(&y, id, "a note"),
                set_labels(&y, id, &["vip"]),
                y.post(
                    "/conversations",
                    json!({"contact_id": id, "inbox_id": inbox, "message": {"content": "Hello"}}),
                ),
            );
            vec![
                (format!("delete {id}"), delete),
                (format!("edit {id}"), edit),
                (format!("note {id}"), note),
                (format!("labels {id}"), labels),
                (format!("conversation {id}"), conversation),
            ]
        });
    }
    let mut all = Vec::new();
    while let Some(done) = tasks.join_next().await {
        all.extend(done.expect("race"));
    }
    let errors = server_errors(&all);
    assert!(
        errors.is_empty(),
        "{} of {} answers were 5xx: {errors:?}",
        errors.len(),
        all.len()
    );
    for (what, r) in &all {
        if what.starts_with("delete") {
            assert_eq!(
                r.status, 200,
                "{what}: nothing else removes the contact: {}",
                r.text
            );
        } else if r.status != 200 {
            assert_lost_cleanly(what, r);
        }
    }
    for id in &ids {
        assert_eq!(agent.get(&format!("/contacts/{id}")).await.status, 404);
    }
    assert_eq!(
        orphans(&live).await,
        0,
        "nothing was left behind for a deleted contact"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_waits_for_the_lock_and_after_the_timeout_is_a_503_to_retry() {
    let live = Live::start().await;
    let agent = live.agent();

    // Another writer (as another process would) holds the write lock briefly: the
    // request waits its turn and succeeds.
    let mut holder = novatalks_server::db::write_tx(&live.db)
        .await
        .expect("lock");
    let pending = tokio::spawn({
        let agent = agent.clone();
        async move { agent.post("/contacts", json!({"name": "Patient"})).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    novatalks_server::db::query("INSERT INTO labels (account_id, title) VALUES (?, 'held')")
        .bind(live.a.account_id)
        .execute(&mut holder)
        .await
        .expect("write under the lock");
    holder.commit().await.expect("release");
    let r = pending.await.expect("request");
    assert_eq!(
        r.status, 200,
        "the write waited instead of failing: {}",
        r.text
    );

    // Held past the busy timeout: a JSON 503 that says to retry, never a 500.
    let holder = novatalks_server::db::write_tx(&live.db)
        .await
        .expect("lock");
    let r = agent.post("/contacts", json!({"name": "Impatient"})).await;
    holder.rollback().await.expect("release");
    assert_eq!(r.status, 503, "{}", r.text);
    assert!(
        r.headers
            .get("retry-after")
            .is_some_and(|v| v.parse::<u64>().is_ok()),
        "Retry-After in seconds: {:?}",
        r.headers
    );
    assert!(
        r.body["error"]
            .as_str()
            .is_some_and(|e| e.contains("try again")),
        "{}",
        r.text
    );
    let r = agent.post("/contacts", json!({"name": "Impatient"})).await;
    assert_eq!(
        r.status, 200,
        "once the lock is free the same write succeeds: {}",
        r.text
    );
}

#[tokio::test]
async fn a_foreign_key_violation_that_slips_through_is_a_404_not_a_500() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = novatalks_server::db::for_tests(Some(dir.path()))
        .await
        .expect("db");
    let fixture = novatalks_server::seed::fixture_account(&db, "A", "fk@test.test")
        .await
        .expect("account");
    let e = novatalks_server::db::query(
        "INSERT INTO notes (account_id, contact_id, user_id, content, created_at, updated_at)
         VALUES (?, 999999, ?, 'x', 1, 1)",
    )
    .bind(fixture.account_id)
    .bind(fixture.user_id)
    .execute(&db)
    .await
    .expect_err("no such contact");
    assert!(matches!(AppError::from(e), AppError::NotFound));
}
