//! Several servers on one database, as behind a load balancer: nothing that must be shared
//! lives in one process. Each test starts two real servers on the suite's database (one
//! PostgreSQL database when `NOVATALKS_TEST_DATABASE_URL` is set; otherwise one SQLite file,
//! which two servers on one machine can share too) and calls them over real HTTP.

#[path = "common/live.rs"]
mod live;

use live::{http, server_errors, Live, Reply};
use novatalks_server::seed::DEMO_PASSWORD;
use serde_json::json;
use tokio::task::JoinSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_through_one_server_is_read_through_the_other() {
    let live = Live::start().await;
    let second = live.another_server().await;
    let one = live.agent();
    let two = live.agent_on(&second);

    let created = one
        .post(
            "/contacts",
            json!({"name": "Olena Both", "email": "both@example.com"}),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    let id = created.body["payload"]["contact"]["id"]
        .as_i64()
        .expect("id");
    let seen = two.get(&format!("/contacts/{id}")).await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    assert_eq!(seen.body["payload"]["email"], "both@example.com");

    // And back: an edit through the second is what the first answers.
    let edited = two
        .put(&format!("/contacts/{id}"), json!({"name": "Olena Two"}))
        .await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    let found = one.get("/contacts/search?q=olena").await;
    assert_eq!(found.status, 200, "{}", found.text);
    assert!(
        found.body["payload"]
            .as_array()
            .expect("payload")
            .iter()
            .any(|c| c["id"] == id && c["name"] == "Olena Two"),
        "{}",
        found.text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_from_one_server_works_on_the_other_and_signing_out_ends_it_on_both() {
    let live = Live::start().await;
    let second = live.another_server().await;
    let signed_in = http(
        live.server.addr,
        "POST",
        "/auth/sign_in",
        None,
        Some(json!({"email": "a@test.test", "password": DEMO_PASSWORD})),
    )
    .await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    let token = signed_in.body["data"]["access_token"]
        .as_str()
        .expect("token")
        .to_owned();

    let mut on_second = live.client(&token);
    on_second.retarget(second.addr);
    assert_eq!(on_second.get("/contacts").await.status, 200);

    let out = http(second.addr, "DELETE", "/auth/sign_out", Some(&token), None).await;
    assert!(out.status < 300, "sign-out: {}", out.text);
    let mut on_first = live.client(&token);
    on_first.retarget(live.server.addr);
    assert_eq!(
        on_first.get("/contacts").await.status,
        401,
        "a session ended on one server is ended on every server"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_merge_sent_to_both_servers_at_once_succeeds_once() {
    let live = Live::start().await;
    let second = live.another_server().await;
    let one = live.agent();
    let two = live.agent_on(&second);
    let id = |r: &Reply| r.body["payload"]["contact"]["id"].as_i64().expect("id");
    let base = id(&one.post("/contacts", json!({"name": "Base"})).await);
    let mergee = id(&one
        .post(
            "/contacts",
            json!({"name": "Mergee", "email": "m@example.com"}),
        )
        .await);

    let mut tasks = JoinSet::new();
    for i in 0..8 {
        let agent = if i % 2 == 0 { one.clone() } else { two.clone() };
        tasks.spawn(async move {
            let r = agent
                .post(
                    "/actions/contact_merge",
                    json!({"base_contact_id": base, "mergee_contact_id": mergee}),
                )
                .await;
            (format!("merge {i}"), r)
        });
    }
    let replies: Vec<(String, Reply)> = tasks.join_all().await;
    assert!(server_errors(&replies).is_empty(), "{replies:?}");
    let won = replies.iter().filter(|(_, r)| r.status == 200).count();
    assert_eq!(won, 1, "one merge wins: {replies:?}");
    for (_, r) in replies.iter().filter(|(_, r)| r.status != 200) {
        assert!(
            r.status == 404 || r.status == 422,
            "the others are told the contact is gone: {}",
            r.text
        );
        assert!(
            r.body["error"].is_string() || r.body["message"].is_string(),
            "{}",
            r.text
        );
    }
    let merged = two.get(&format!("/contacts/{base}")).await;
    assert_eq!(merged.body["payload"]["email"], "m@example.com");
    assert_eq!(one.get(&format!("/contacts/{mergee}")).await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_writing_on_both_servers_at_once_lose_nothing_and_get_no_5xx() {
    let live = Live::start().await;
    let second = live.another_server().await;
    let one = live.agent();
    let two = live.agent_on(&second);

    let mut tasks = JoinSet::new();
    for i in 0..32 {
        let agent = if i % 2 == 0 { one.clone() } else { two.clone() };
        tasks.spawn(async move {
            let created = agent
                .post(
                    "/contacts",
                    json!({"name": format!("Agent write {i}"), "email": format!("w{i}@example.com")}),
                )
                .await;
            let mut replies = vec![(format!("create {i}"), created.clone())];
            if let Some(id) = created.body["payload"]["contact"]["id"].as_i64() {
                let labelled = agent
                    .post(&format!("/contacts/{id}/labels"), json!({"labels": ["vip"]}))
                    .await;
                replies.push((format!("label {i}"), labelled));
                let noted = agent
                    .post(
                        &format!("/contacts/{id}/notes"),
                        json!({"content": format!("note {i}")}),
                    )
                    .await;
                replies.push((format!("note {i}"), noted));
            }
            replies
        });
    }
    let replies: Vec<(String, Reply)> = tasks.join_all().await.into_iter().flatten().collect();
    assert!(
        server_errors(&replies).is_empty(),
        "{:?}",
        server_errors(&replies)
    );
    let refused: Vec<_> = replies.iter().filter(|(_, r)| r.status != 200).collect();
    assert!(refused.is_empty(), "nothing here conflicts: {refused:?}");
    assert_eq!(
        replies.len(),
        96,
        "every contact was created, labelled and noted"
    );

    // Every write is there, whichever server is asked.
    let listed = two.get("/contacts?labels[]=vip&per_page=100").await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    let written = listed.body["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .filter(|c| {
            c["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("Agent write "))
        })
        .count();
    assert_eq!(written, 32, "{}", listed.text);
}
