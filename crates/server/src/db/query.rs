//! Queries that run on either engine: the SQL text both speak, with `?` placeholders, and
//! values bound through [`Bind`]. On PostgreSQL the placeholders become `$1`, `$2`, … (see
//! [`numbered`]); the text is otherwise sent as written, so what differs between the
//! engines is written out where it differs ([`Engine::pick`](super::Engine::pick)).
//!
//! The API mirrors sqlx's (`query`, `query_as`, `query_scalar`, `bind`, `fetch_*`,
//! `execute`; [`Builder`] for SQL put together at run time, as sqlx's `QueryBuilder`),
//! and rows are decoded by each engine's own driver, so a row type is an ordinary
//! `#[derive(sqlx::FromRow)]` whose fields decode on both.

use std::marker::PhantomData;

use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Decode, FromRow, Postgres, Sqlite, Type};

use super::conn::{Conn, Inner};
use super::{Db, Engine};

/// A value bound to a placeholder.
#[derive(Debug, Clone)]
pub enum Arg {
    Int(Option<i64>),
    Real(Option<f64>),
    Bool(Option<bool>),
    Text(Option<String>),
    /// JSON text: `TEXT` on SQLite, `jsonb` on PostgreSQL.
    Json(Option<String>),
}

/// What a `None` of a bound type is.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Int,
    Real,
    Bool,
    Text,
    Json,
}

impl Kind {
    fn null(self) -> Arg {
        match self {
            Kind::Int => Arg::Int(None),
            Kind::Real => Arg::Real(None),
            Kind::Bool => Arg::Bool(None),
            Kind::Text => Arg::Text(None),
            Kind::Json => Arg::Json(None),
        }
    }
}

/// A Rust value that can be bound on both engines.
pub trait Bind {
    const KIND: Kind;
    fn arg(self) -> Arg;
}

macro_rules! bind_int {
    ($($t:ty),*) => {$(
        impl Bind for $t {
            const KIND: Kind = Kind::Int;
            fn arg(self) -> Arg {
                Arg::Int(Some(i64::from(self)))
            }
        }
    )*};
}
bind_int!(i64, i32, u32, i16, u16, u8);

impl Bind for usize {
    const KIND: Kind = Kind::Int;
    fn arg(self) -> Arg {
        Arg::Int(Some(i64::try_from(self).unwrap_or(i64::MAX)))
    }
}

impl Bind for u64 {
    const KIND: Kind = Kind::Int;
    fn arg(self) -> Arg {
        Arg::Int(Some(i64::try_from(self).unwrap_or(i64::MAX)))
    }
}

impl Bind for f64 {
    const KIND: Kind = Kind::Real;
    fn arg(self) -> Arg {
        Arg::Real(Some(self))
    }
}

impl Bind for bool {
    const KIND: Kind = Kind::Bool;
    fn arg(self) -> Arg {
        Arg::Bool(Some(self))
    }
}

impl Bind for String {
    const KIND: Kind = Kind::Text;
    fn arg(self) -> Arg {
        Arg::Text(Some(self))
    }
}

impl Bind for &str {
    const KIND: Kind = Kind::Text;
    fn arg(self) -> Arg {
        Arg::Text(Some(self.to_owned()))
    }
}

impl Bind for &String {
    const KIND: Kind = Kind::Text;
    fn arg(self) -> Arg {
        Arg::Text(Some(self.clone()))
    }
}

impl Bind for &&str {
    const KIND: Kind = Kind::Text;
    fn arg(self) -> Arg {
        Arg::Text(Some((*self).to_owned()))
    }
}

impl<T: Bind> Bind for Option<T> {
    const KIND: Kind = T::KIND;
    fn arg(self) -> Arg {
        match self {
            Some(v) => v.arg(),
            None => T::KIND.null(),
        }
    }
}

impl<T: Bind + Clone> Bind for &Option<T> {
    const KIND: Kind = T::KIND;
    fn arg(self) -> Arg {
        self.clone().arg()
    }
}

impl Bind for &i64 {
    const KIND: Kind = Kind::Int;
    fn arg(self) -> Arg {
        Arg::Int(Some(*self))
    }
}

impl Bind for &bool {
    const KIND: Kind = Kind::Bool;
    fn arg(self) -> Arg {
        Arg::Bool(Some(*self))
    }
}

impl Bind for serde_json::Value {
    const KIND: Kind = Kind::Json;
    fn arg(self) -> Arg {
        Arg::Json(Some(self.to_string()))
    }
}

impl Bind for &serde_json::Value {
    const KIND: Kind = Kind::Json;
    fn arg(self) -> Arg {
        Arg::Json(Some(self.to_string()))
    }
}

impl Bind for Arg {
    const KIND: Kind = Kind::Text;
    fn arg(self) -> Arg {
        self
    }
}

/// JSON text, bound as `jsonb` on PostgreSQL and as text on SQLite, and read back as the
/// text of the JSON value from either (`Decode` on both engines).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonText(pub String);

impl JsonText {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::ops::Deref for JsonText {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Bind for JsonText {
    const KIND: Kind = Kind::Json;
    fn arg(self) -> Arg {
        Arg::Json(Some(self.0))
    }
}

impl Bind for &JsonText {
    const KIND: Kind = Kind::Json;
    fn arg(self) -> Arg {
        Arg::Json(Some(self.0.clone()))
    }
}

impl Type<Sqlite> for JsonText {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
        <String as Type<Sqlite>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Sqlite> for JsonText {
    fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(JsonText(<String as Decode<Sqlite>>::decode(value)?))
    }
}

impl Type<Postgres> for JsonText {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        sqlx::postgres::PgTypeInfo::with_name("jsonb")
    }
    fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
        <sqlx::types::JsonValue as Type<Postgres>>::compatible(ty)
            || <String as Type<Postgres>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Postgres> for JsonText {
    fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        use sqlx::ValueRef;
        let info = value.type_info();
        if <String as Type<Postgres>>::compatible(&info) {
            return Ok(JsonText(<String as Decode<Postgres>>::decode(value)?));
        }
        let json = <sqlx::types::JsonValue as Decode<Postgres>>::decode(value)?;
        Ok(JsonText(json.to_string()))
    }
}

/// A row type that decodes on both engines.
pub trait Record:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Record for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// A column value that decodes on both engines.
pub trait Scalar:
    for<'r> Decode<'r, Sqlite>
    + Type<Sqlite>
    + for<'r> Decode<'r, Postgres>
    + Type<Postgres>
    + Send
    + Unpin
{
}
impl<T> Scalar for T where
    T: for<'r> Decode<'r, Sqlite>
        + Type<Sqlite>
        + for<'r> Decode<'r, Postgres>
        + Type<Postgres>
        + Send
        + Unpin
{
}

/// Where a query runs: the pool (a connection for this one statement), or a connection or
/// transaction already held.
pub enum Target<'c> {
    Pool(&'c Db),
    Conn(&'c mut Conn),
}

impl<'c> From<&'c Db> for Target<'c> {
    fn from(db: &'c Db) -> Self {
        Target::Pool(db)
    }
}

impl<'c> From<&'c mut Conn> for Target<'c> {
    fn from(conn: &'c mut Conn) -> Self {
        Target::Conn(conn)
    }
}

impl<'c, 'd> From<&'c mut &'d mut Conn> for Target<'c> {
    fn from(conn: &'c mut &'d mut Conn) -> Self {
        Target::Conn(conn)
    }
}

/// The SQL text and its bound values.
#[derive(Debug, Clone, Default)]
pub struct Statement {
    sql: String,
    args: Vec<Arg>,
}

impl Statement {
    pub fn sql(&self) -> &str {
        &self.sql
    }
}

fn sqlite_args(args: &[Arg]) -> Result<SqliteArguments<'static>, sqlx::Error> {
    use sqlx::Arguments;
    let mut out = SqliteArguments::default();
    for arg in args {
        let added = match arg.clone() {
            Arg::Int(v) => out.add(v),
            Arg::Real(v) => out.add(v),
            Arg::Bool(v) => out.add(v),
            Arg::Text(v) | Arg::Json(v) => out.add(v),
        };
        added.map_err(sqlx::Error::Encode)?;
    }
    Ok(out)
}

/// `jsonb` as PostgreSQL's binary protocol carries it: a version byte, then the text.
struct PgJsonb(Option<String>);

impl Type<Postgres> for PgJsonb {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        sqlx::postgres::PgTypeInfo::with_name("jsonb")
    }
}

impl sqlx::Encode<'_, Postgres> for PgJsonb {
    fn encode_by_ref(
        &self,
        buf: &mut sqlx::postgres::PgArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match &self.0 {
            None => Ok(sqlx::encode::IsNull::Yes),
            Some(text) => {
                buf.push(1);
                buf.extend_from_slice(text.as_bytes());
                Ok(sqlx::encode::IsNull::No)
            }
        }
    }
    fn encode(
        self,
        buf: &mut sqlx::postgres::PgArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        self.encode_by_ref(buf)
    }
}

fn pg_args(args: &[Arg]) -> Result<PgArguments, sqlx::Error> {
    use sqlx::Arguments;
    let mut out = PgArguments::default();
    for arg in args {
        let added = match arg.clone() {
            Arg::Int(v) => out.add(v),
            Arg::Real(v) => out.add(v),
            Arg::Bool(v) => out.add(v),
            Arg::Text(v) => out.add(v),
            Arg::Json(v) => out.add(PgJsonb(v)),
        };
        added.map_err(sqlx::Error::Encode)?;
    }
    Ok(out)
}

/// `sql` with each `?` (outside quotes and comments) numbered `$1`, `$2`, …, as
/// PostgreSQL takes them; `?N` becomes `$N`, and a bare `?` after it takes the next
/// number, as SQLite counts.
pub fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.chars().peekable();
    let mut next = 0u32;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                let n = match digits.parse::<u32>() {
                    Ok(n) => n,
                    Err(_) => next + 1,
                };
                next = next.max(n);
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

macro_rules! on_target {
    ($target:expr, $stmt:expr, |$q:ident, $ex:ident| $body:expr) => {{
        let stmt: &Statement = $stmt;
        match $target {
            Target::Pool(Db::Sqlite(pool)) => {
                let args = sqlite_args(&stmt.args)?;
                let $q = sqlx::query_with::<Sqlite, _>(&stmt.sql, args);
                let $ex = pool;
                $body
            }
            Target::Pool(Db::Postgres(pool)) => {
                let sql = numbered(&stmt.sql);
                let args = pg_args(&stmt.args)?;
                let $q = sqlx::query_with::<Postgres, _>(&sql, args);
                let $ex = pool;
                $body
            }
            Target::Conn(conn) => match &mut conn.inner {
                Inner::Sqlite(c) => {
                    let args = sqlite_args(&stmt.args)?;
                    let $q = sqlx::query_with::<Sqlite, _>(&stmt.sql, args);
                    let $ex = &mut **c;
                    $body
                }
                Inner::SqliteTx(c) => {
                    let args = sqlite_args(&stmt.args)?;
                    let $q = sqlx::query_with::<Sqlite, _>(&stmt.sql, args);
                    let $ex = &mut **c;
                    $body
                }
                Inner::Postgres(c) => {
                    let sql = numbered(&stmt.sql);
                    let args = pg_args(&stmt.args)?;
                    let $q = sqlx::query_with::<Postgres, _>(&sql, args);
                    let $ex = &mut **c;
                    $body
                }
                Inner::PostgresTx(c) => {
                    let sql = numbered(&stmt.sql);
                    let args = pg_args(&stmt.args)?;
                    let $q = sqlx::query_with::<Postgres, _>(&sql, args);
                    let $ex = &mut **c;
                    $body
                }
            },
        }
    }};
}

/// What a statement changed.
#[derive(Debug, Clone, Copy)]
pub struct Done {
    rows: u64,
}

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.rows
    }
}

/// A statement whose rows are not read.
#[derive(Debug, Clone)]
pub struct Query {
    stmt: Statement,
}

/// `sqlx::query`, on either engine.
pub fn query(sql: impl Into<String>) -> Query {
    Query {
        stmt: Statement {
            sql: sql.into(),
            args: Vec::new(),
        },
    }
}

impl Query {
    pub fn bind(mut self, value: impl Bind) -> Self {
        self.stmt.args.push(value.arg());
        self
    }

    pub async fn execute<'c>(self, target: impl Into<Target<'c>>) -> Result<Done, sqlx::Error> {
        let rows = on_target!(target.into(), &self.stmt, |q, ex| q
            .execute(ex)
            .await?
            .rows_affected());
        Ok(Done { rows })
    }

    /// Rows as engine-neutral tuples are not needed: read with [`query_as`].
    pub fn sql(&self) -> &str {
        self.stmt.sql()
    }
}

/// A statement whose rows are `T`.
pub struct QueryAs<T> {
    stmt: Statement,
    row: PhantomData<fn() -> T>,
}

/// `sqlx::query_as`, on either engine.
pub fn query_as<T: Record>(sql: impl Into<String>) -> QueryAs<T> {
    QueryAs {
        stmt: Statement {
            sql: sql.into(),
            args: Vec::new(),
        },
        row: PhantomData,
    }
}

impl<T: Record> QueryAs<T> {
    pub fn bind(mut self, value: impl Bind) -> Self {
        self.stmt.args.push(value.arg());
        self
    }

    pub async fn fetch_all<'c>(self, target: impl Into<Target<'c>>) -> Result<Vec<T>, sqlx::Error> {
        on_target!(target.into(), &self.stmt, |q, ex| {
            let rows = q.fetch_all(ex).await?;
            rows.iter().map(|r| T::from_row(r)).collect()
        })
    }

    pub async fn fetch_one<'c>(self, target: impl Into<Target<'c>>) -> Result<T, sqlx::Error> {
        on_target!(target.into(), &self.stmt, |q, ex| {
            let row = q.fetch_one(ex).await?;
            T::from_row(&row)
        })
    }

    pub async fn fetch_optional<'c>(
        self,
        target: impl Into<Target<'c>>,
    ) -> Result<Option<T>, sqlx::Error> {
        on_target!(target.into(), &self.stmt, |q, ex| {
            match q.fetch_optional(ex).await? {
                Some(row) => Ok(Some(T::from_row(&row)?)),
                None => Ok(None),
            }
        })
    }
}

/// A statement whose rows are one value `T` each.
pub struct QueryScalar<T> {
    stmt: Statement,
    value: PhantomData<fn() -> T>,
}

/// `sqlx::query_scalar`, on either engine.
pub fn query_scalar<T: Scalar>(sql: impl Into<String>) -> QueryScalar<T> {
    QueryScalar {
        stmt: Statement {
            sql: sql.into(),
            args: Vec::new(),
        },
        value: PhantomData,
    }
}

impl<T: Scalar> QueryScalar<T> {
    pub fn bind(mut self, value: impl Bind) -> Self {
        self.stmt.args.push(value.arg());
        self
    }

    pub async fn fetch_all<'c>(self, target: impl Into<Target<'c>>) -> Result<Vec<T>, sqlx::Error> {
        use sqlx::Row;
        on_target!(target.into(), &self.stmt, |q, ex| {
            let rows = q.fetch_all(ex).await?;
            rows.iter().map(|r| r.try_get::<T, _>(0)).collect()
        })
    }

    pub async fn fetch_one<'c>(self, target: impl Into<Target<'c>>) -> Result<T, sqlx::Error> {
        use sqlx::Row;
        on_target!(target.into(), &self.stmt, |q, ex| {
            let row = q.fetch_one(ex).await?;
            row.try_get::<T, _>(0)
        })
    }

    pub async fn fetch_optional<'c>(
        self,
        target: impl Into<Target<'c>>,
    ) -> Result<Option<T>, sqlx::Error> {
        use sqlx::Row;
        on_target!(target.into(), &self.stmt, |q, ex| {
            match q.fetch_optional(ex).await? {
                Some(row) => Ok(Some(row.try_get::<T, _>(0)?)),
                None => Ok(None),
            }
        })
    }
}

/// SQL put together at run time: text pushed as written, values bound (`?`), as sqlx's
/// `QueryBuilder`.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    stmt: Statement,
}

impl Builder {
    pub fn new(sql: impl Into<String>) -> Builder {
        Builder {
            stmt: Statement {
                sql: sql.into(),
                args: Vec::new(),
            },
        }
    }

    pub fn push(&mut self, sql: impl std::fmt::Display) -> &mut Self {
        use std::fmt::Write;
        let _ = write!(self.stmt.sql, "{sql}");
        self
    }

    pub fn push_bind(&mut self, value: impl Bind) -> &mut Self {
        self.stmt.sql.push('?');
        self.stmt.args.push(value.arg());
        self
    }

    pub fn sql(&self) -> &str {
        &self.stmt.sql
    }

    /// How many values are bound so far.
    pub fn bound(&self) -> usize {
        self.stmt.args.len()
    }

    /// Values pushed with `sep` between them, as sqlx's `QueryBuilder::separated`.
    pub fn separated(&mut self, sep: &'static str) -> Separated<'_> {
        Separated {
            builder: self,
            sep,
            first: true,
        }
    }

    /// ` VALUES (…), (…)`: one parenthesised row per item, its values pushed by `row`.
    pub fn push_values<I, F>(&mut self, items: I, mut row: F) -> &mut Self
    where
        I: IntoIterator,
        F: FnMut(Separated<'_>, I::Item),
    {
        self.push(" VALUES ");
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push("(");
            row(self.separated(", "), item);
            self.push(")");
        }
        self
    }

    pub fn build(&self) -> Query {
        Query {
            stmt: self.stmt.clone(),
        }
    }

    pub fn build_query_as<T: Record>(&self) -> QueryAs<T> {
        QueryAs {
            stmt: self.stmt.clone(),
            row: PhantomData,
        }
    }

    pub fn build_query_scalar<T: Scalar>(&self) -> QueryScalar<T> {
        QueryScalar {
            stmt: self.stmt.clone(),
            value: PhantomData,
        }
    }
}

/// See [`Builder::separated`].
pub struct Separated<'b> {
    builder: &'b mut Builder,
    sep: &'static str,
    first: bool,
}

impl Separated<'_> {
    fn separate(&mut self) {
        if !self.first {
            self.builder.push(self.sep);
        }
        self.first = false;
    }

    pub fn push(&mut self, sql: impl std::fmt::Display) -> &mut Self {
        self.separate();
        self.builder.push(sql);
        self
    }

    pub fn push_bind(&mut self, value: impl Bind) -> &mut Self {
        self.separate();
        self.builder.push_bind(value);
        self
    }

    pub fn push_unseparated(&mut self, sql: impl std::fmt::Display) -> &mut Self {
        self.builder.push(sql);
        self
    }

    pub fn push_bind_unseparated(&mut self, value: impl Bind) -> &mut Self {
        self.builder.push_bind(value);
        self
    }
}

impl Engine {
    /// The text for this engine, where the two must differ.
    pub fn pick<T>(self, sqlite: T, postgres: T) -> T {
        match self {
            Engine::Sqlite => sqlite,
            Engine::Postgres => postgres,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn placeholders_are_numbered_outside_quotes_and_comments() {
        assert_eq!(
            numbered("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"
        );
        assert_eq!(
            numbered("SELECT '?' , \"q?\" FROM t -- why?\nWHERE x = ?"),
            "SELECT '?' , \"q?\" FROM t -- why?\nWHERE x = $1"
        );
        assert_eq!(
            numbered("WHERE a = ?1 OR b = ?1 AND c = ?"),
            "WHERE a = $1 OR b = $1 AND c = $2"
        );
        assert_eq!(numbered("x = 'it''s' AND y = ?"), "x = 'it''s' AND y = $1");
    }
}
