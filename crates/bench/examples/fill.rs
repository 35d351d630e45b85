// scratch, not committed
#[tokio::main]
async fn main() {
    let url = std::env::args().nth(1).unwrap();
    let n: u64 = std::env::args().nth(2).unwrap().parse().unwrap();
    let pool = novatalks_server::db::fresh_postgres_database(&url)
        .await
        .unwrap();
    println!("{:?}", novatalks_server::db::url_of(&pool));
    novatalks_server::seed::demo(&pool).await.unwrap();
    println!(
        "{}",
        novatalks_server::seed::synthetic(&pool, n).await.unwrap()
    );
    novatalks_server::db::query("VACUUM ANALYZE")
        .execute(&pool)
        .await
        .unwrap();
}
