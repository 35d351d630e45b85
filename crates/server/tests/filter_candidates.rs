//! `POST /contacts/filter` reads indexed candidates first when every OR-group has an
//! indexed condition: the answer is the same as testing every contact (checked over many
//! filters against a varied account), and the plan never walks the account's contacts.

mod common;

use common::TestApp;
use novatalks_model::filter::FilterCondition;
use novatalks_server::contacts::{filter_ids, filter_query_plan, Reading};
use novatalks_server::db::Engine;
use serde_json::{json, Value};

const DAY: i64 = 86_400;
/// 2025-03-10T00:00:00Z
const MARCH_10: i64 = 1_741_564_800;

fn cond(key: &str, op: &str, values: Value) -> Value {
    json!({"attribute_key": key, "filter_operator": op, "values": values, "query_operator": null})
}

fn conditions(payload: Value) -> Vec<FilterCondition> {
    serde_json::from_value(payload).expect("conditions")
}

/// Conditions of every kind: the ones an index serves and the ones it does not.
fn pool() -> Vec<Value> {
    vec![
        cond("labels", "equal_to", json!(["vip"])),
        cond("labels", "equal_to", json!(["billing", "lead"])),
        cond("labels", "not_equal_to", json!(["vip"])),
        cond("labels", "is_present", json!([])),
        cond("blocked", "equal_to", json!([true])),
        cond("blocked", "not_equal_to", json!([false])),
        cond("blocked", "equal_to", json!([false])),
        cond("last_activity_at", "is_greater_than", json!(["2025-03-05"])),
        cond("last_activity_at", "is_less_than", json!(["2025-03-03"])),
        cond("last_activity_at", "equal_to", json!(["2025-03-04"])),
        cond("last_activity_at", "days_before", json!([3])),
        cond("created_at", "is_greater_than", json!(["2025-03-06"])),
        cond("created_at", "equal_to", json!(["2025-03-02"])),
        cond("id", "equal_to", json!([3, 5, 8])),
        cond("name", "contains", json!(["an"])),
        cond("email", "is_present", json!([])),
    ]
}

/// Forty contacts whose labels, block, activity and creation vary independently.
async fn varied_account() -> (TestApp, Vec<i64>) {
    let app = TestApp::new().await;
    let a = app.a.account_id;
    let now = novatalks_server::db::now();
    let names = ["Anna", "Boris", "Iryna", "Oleh", "Dana", "Taras", "Hanna"];
    let label_sets: [&[&str]; 6] = [
        &[],
        &["vip"],
        &["billing", "lead"],
        &["vip", "lead"],
        &["lead"],
        &["billing"],
    ];
    let mut ids = Vec::new();
    for i in 0..40i64 {
        let mut fields = json!({
            "name": format!("{} {i}", names[i as usize % names.len()]),
            "created_at": MARCH_10 - (i % 9) * DAY,
        });
        if i % 3 != 0 {
            fields["last_activity_at"] = json!(MARCH_10 - (i % 7) * DAY + 3_600);
        }
        if i % 2 == 0 {
            fields["email"] = json!(format!("c{i}@example.com"));
        }
        match i % 6 {
            1 => fields["blocked"] = json!(true),
            3 => {
                fields["blocked"] = json!(true);
                fields["blocked_until"] = json!(now + 3_600);
            }
            5 => {
                // Blocked once; the block is over.
                fields["blocked"] = json!(true);
                fields["blocked_until"] = json!(now - 60);
            }
            _ => {}
        }
        let id = app.insert_contact(a, fields).await;
        app.label_contact(a, id, label_sets[i as usize % label_sets.len()])
            .await;
        ids.push(id);
    }
    // Another account's contacts never show up, however they are read.
    let other = app
        .insert_contact(
            app.b.account_id,
            json!({"name": "Anna elsewhere", "blocked": true}),
        )
        .await;
    app.label_contact(app.b.account_id, other, &["vip"]).await;
    (app, ids)
}

#[tokio::test]
async fn candidates_answer_exactly_what_testing_every_contact_answers() {
    let (app, _) = varied_account().await;
    let a = app.a.account_id;
    let now = novatalks_server::db::now();
    let pool = pool();
    let mut checked = 0;
    let mut non_empty = 0;
    for (i, first) in pool.iter().enumerate() {
        for (j, second) in pool.iter().enumerate() {
            for join in ["and", "or"] {
                // Two conditions, and three with a third joined the other way.
                let mut one = first.clone();
                one["query_operator"] = json!(join);
                let other = if join == "and" { "or" } else { "and" };
                let mut two = second.clone();
                two["query_operator"] = json!(other);
                let third = pool[(i + j + 1) % pool.len()].clone();
                for payload in [
                    json!([first.clone()]),
                    json!([one.clone(), second.clone()]),
                    json!([one, two, third]),
                ] {
                    let payload = conditions(payload);
                    let scanned = filter_ids(&app.db, a, &payload, now, Reading::Scan)
                        .await
                        .expect("scan");
                    let indexed = filter_ids(&app.db, a, &payload, now, Reading::Candidates)
                        .await
                        .expect("candidates");
                    assert_eq!(
                        indexed,
                        scanned,
                        "{}",
                        serde_json::to_string(&payload).unwrap()
                    );
                    checked += 1;
                    non_empty += usize::from(!scanned.is_empty());
                }
            }
        }
    }
    assert_eq!(checked, pool.len() * pool.len() * 6);
    assert!(
        non_empty > checked / 2,
        "the filters select something: {non_empty}/{checked}"
    );

    // And through the API, with its count.
    let payload = json!([
        {"attribute_key":"labels","filter_operator":"equal_to","values":["vip"],"query_operator":"and"},
        {"attribute_key":"last_activity_at","filter_operator":"is_greater_than","values":["2025-03-05"],"query_operator":"or"},
        {"attribute_key":"blocked","filter_operator":"equal_to","values":[true],"query_operator":null}
    ]);
    let expected = filter_ids(&app.db, a, &conditions(payload.clone()), now, Reading::Scan)
        .await
        .expect("scan");
    let reply = app
        .post(
            "/contacts/filter?per_page=100",
            json!({ "payload": payload }),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut ids = TestApp::ids(&reply);
    ids.sort();
    assert_eq!(ids, expected);
    assert_eq!(reply.body["meta"]["count"], json!(expected.len()));
    assert!(!expected.is_empty());
}

/// Whether a PostgreSQL plan walks the account's contacts in a sort index's order (an
/// index scan of `contacts_sort_*` bounded by the account alone), rather than reading a
/// range of it.
fn walks_account(plan: &[String]) -> bool {
    plan.iter().zip(plan.iter().skip(1)).any(|(line, next)| {
        line.contains("contacts_sort_")
            && !(next.trim_start().starts_with("Index Cond:")
                && (next.contains("last_activity_at") || next.contains("created_at")))
    })
}

#[tokio::test]
async fn an_or_of_indexed_conditions_never_walks_the_contacts() {
    let (app, _) = varied_account().await;
    let a = app.a.account_id;
    common::load_filler(&app, a, 20_000, true).await;
    let engine = novatalks_server::db::test_engine();
    // Each payload, and the indexes PostgreSQL must read its candidates from.
    let payloads = [
        (
            json!([
                {"attribute_key":"labels","filter_operator":"equal_to","values":["vip"],"query_operator":"and"},
                {"attribute_key":"last_activity_at","filter_operator":"is_greater_than","values":["2025-03-05"],"query_operator":"or"},
                {"attribute_key":"blocked","filter_operator":"equal_to","values":[true],"query_operator":null}
            ]),
            &["contact_labels_by_title", "contacts_blocked"][..],
        ),
        (
            json!([cond("labels", "equal_to", json!(["vip", "billing"]))]),
            &["contact_labels_by_title"][..],
        ),
        (
            json!([
                {"attribute_key":"created_at","filter_operator":"equal_to","values":["2025-03-02"],"query_operator":"or"},
                {"attribute_key":"id","filter_operator":"equal_to","values":[3, 4],"query_operator":null}
            ]),
            &["contacts_sort_created", "contacts_pkey"][..],
        ),
        (
            json!([
                {"attribute_key":"last_activity_at","filter_operator":"equal_to","values":["2025-03-04", "Europe/Kyiv"],"query_operator":"or"},
                {"attribute_key":"blocked","filter_operator":"not_equal_to","values":[false],"query_operator":null}
            ]),
            &["contacts_sort_last_activity", "contacts_blocked"][..],
        ),
    ];
    for (payload, indexes) in payloads {
        let plan = filter_query_plan(&app.db, a, &conditions(payload.clone()))
            .await
            .expect("plan");
        let text = plan.join("\n");
        println!("{engine:?} plan of {payload}:\n{text}\n");
        match engine {
            Engine::Sqlite => {
                for line in &plan {
                    let scanned = line
                        .strip_prefix("SCAN ")
                        .and_then(|rest| rest.split(' ').next());
                    assert!(
                        !matches!(scanned, Some("c" | "contacts" | "contact_labels")),
                        "{payload}: a walk over the contacts:\n{text}"
                    );
                }
                assert!(
                    text.contains("USING INTEGER PRIMARY KEY"),
                    "{payload}:\n{text}"
                );
            }
            Engine::Postgres => {
                let whole = common::seq_scanned(&plan);
                assert!(
                    !whole.contains(&"contacts") && !whole.contains(&"contact_labels"),
                    "{payload}: a walk over the contacts:\n{text}"
                );
                assert!(
                    !walks_account(&plan),
                    "{payload}: a walk of the account in a sort order:\n{text}"
                );
                for index in indexes {
                    assert!(
                        text.contains(&format!(" on {index}"))
                            || text.contains(&format!(" using {index}")),
                        "{payload}: {index} unused:\n{text}"
                    );
                }
                assert!(
                    text.contains("Index Scan using contacts_pkey on contacts c"),
                    "{payload}: candidates' contacts by id:\n{text}"
                );
            }
        }
        // Among the filler, still the answer of testing every contact.
        let now = novatalks_server::db::now();
        let payload = conditions(payload);
        assert_eq!(
            filter_ids(&app.db, a, &payload, now, Reading::Candidates)
                .await
                .expect("candidates"),
            filter_ids(&app.db, a, &payload, now, Reading::Scan)
                .await
                .expect("scan"),
        );
    }

    // A group without an indexed condition: every contact is tested, as before.
    let plan = filter_query_plan(
        &app.db,
        a,
        &conditions(json!([
            {"attribute_key":"labels","filter_operator":"equal_to","values":["vip"],"query_operator":"or"},
            {"attribute_key":"name","filter_operator":"contains","values":["an"],"query_operator":null}
        ])),
    )
    .await
    .expect("plan");
    let text = plan.join("\n");
    match engine {
        Engine::Sqlite => assert!(!text.contains("candidate"), "{text}"),
        // No UNION of candidate sets (an Append of its reads).
        Engine::Postgres => assert!(!text.contains("Append"), "{text}"),
    }
}
