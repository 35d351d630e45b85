//! `fold(text)` in SQL: Unicode lower case, so that text comparisons ignore case in every
//! script ("олена" finds "Олена", "ÉLODIE" finds "élodie"). SQLite's own `lower()` and
//! `LIKE` fold ASCII letters only.
//!
//! Registered on every connection of the pool ([`crate::db`]). Comparisons fold both
//! sides: `fold(c.name) IN (fold(?))`, `instr(fold(c.email), fold(?))`.

use std::ffi::{c_char, c_int};
use std::ptr;

use libsqlite3_sys as ffi;
use sqlx::SqliteConnection;

/// How text is folded: Unicode lower case.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}

/// The SQL function: `NULL` stays `NULL`; anything else is read as text and folded.
unsafe extern "C" fn fold_sql(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: SQLite calls this with `argc` values in `argv` (registered with 1), and the
    // text pointer it gives stays valid until the value is read again, which it is not.
    unsafe {
        if argc != 1 || argv.is_null() {
            ffi::sqlite3_result_null(ctx);
            return;
        }
        let value = *argv;
        if ffi::sqlite3_value_type(value) == ffi::SQLITE_NULL {
            ffi::sqlite3_result_null(ctx);
            return;
        }
        let text = ffi::sqlite3_value_text(value);
        let len = ffi::sqlite3_value_bytes(value);
        if text.is_null() || len < 0 {
            ffi::sqlite3_result_null(ctx);
            return;
        }
        let bytes = std::slice::from_raw_parts(text, len as usize);
        let folded = fold(&String::from_utf8_lossy(bytes));
        match c_int::try_from(folded.len()) {
            Ok(n) => ffi::sqlite3_result_text(
                ctx,
                folded.as_ptr().cast::<c_char>(),
                n,
                ffi::SQLITE_TRANSIENT(),
            ),
            Err(_) => ffi::sqlite3_result_error_toobig(ctx),
        }
    }
}

/// Adds `fold` to a connection.
pub async fn register(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is this connection's open handle, held locked for the call; the name
    // is a NUL-terminated literal; no user data or destructor is passed.
    let rc = unsafe {
        ffi::sqlite3_create_function_v2(
            db,
            c"fold".as_ptr(),
            1,
            ffi::SQLITE_UTF8 | ffi::SQLITE_DETERMINISTIC | ffi::SQLITE_INNOCUOUS,
            ptr::null_mut(),
            Some(fold_sql),
            None,
            None,
            None,
        )
    };
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Protocol(format!(
            "cannot register the SQL function fold (SQLite code {rc})"
        )))
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn folds_every_script_and_keeps_null() {
        let pool = crate::db::open_in_memory().await.expect("db");
        let row: (Option<String>, Option<String>, Option<String>, i64) = sqlx::query_as(
            "SELECT fold('ОЛЕНА Ковал'), fold('ÉLODIE Straße'), fold(NULL), instr(fold('Ігор'), fold('ІГ'))",
        )
        .fetch_one(&pool)
        .await
        .expect("query");
        assert_eq!(row.0.as_deref(), Some("олена ковал"));
        assert_eq!(row.1.as_deref(), Some("élodie straße"));
        assert_eq!(row.2, None);
        assert_eq!(row.3, 1);
    }
}
