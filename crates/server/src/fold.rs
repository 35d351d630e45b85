//! `fold(text)` in SQL: Unicode lower case, so that text comparisons ignore case in every
//! script ("олена" finds "Олена", "ÉLODIE" finds "élodie"). SQLite's own `lower()` and
//! `LIKE` fold ASCII letters only.
//!
//! Registered on every connection of the pool ([`crate::db`]). Comparisons fold both
//! sides: `fold(c.name) IN (fold(?))`, `instr(fold(c.email), fold(?))`; a filter's
//! contains / starts with goes through `fold_like(c.email, ?, …)` (values folded and
//! made LIKE patterns in Rust), which folds the text once for up to a hundred values.

use std::ffi::{c_char, c_int};
use std::ptr;

use libsqlite3_sys as ffi;

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

/// Patterns one `fold_like` call takes at most (SQLite allows 127 arguments).
pub const MAX_LIKE_PATTERNS: usize = 100;

/// `fold_like(text, pattern, …)`: whether the folded `text` matches any of the LIKE
/// patterns [`like_pattern`] made (`%needle%` for contains, `needle%` for starts with, the
/// needle folded and `\`-escaped). The same truth as `instr(fold(text), fold(v1)) > 0 OR
/// …` (`= 1` for starts with), `NULL` text giving `NULL` too; but `text` is folded once
/// instead of once per value, and each pattern is matched by SQLite's own
/// `sqlite3_strlike` (C, optimised; case-insensitive for ASCII only, which changes nothing
/// as both sides are folded). A condition of a hundred values costs about a tenth of a
/// hundred `instr(fold(…))`.
///
/// # Safety
/// Called by SQLite only, with `argc` values in `argv`.
unsafe extern "C" fn fold_like_sql(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: SQLite calls this with `argc` values in `argv`; each text pointer stays
    // valid until that value is read again, which it is not; `sqlite3_value_text` ends
    // its text with a NUL.
    unsafe {
        if argc < 1 || argv.is_null() {
            ffi::sqlite3_result_null(ctx);
            return;
        }
        let Some(text) = value_str(*argv) else {
            ffi::sqlite3_result_null(ctx);
            return;
        };
        let folded = fold(&text);
        // A C string ends at its first NUL: a text holding one is matched in Rust.
        let folded_c = std::ffi::CString::new(folded.as_bytes()).ok();
        let mut found = false;
        for i in 1..argc as usize {
            let value = *argv.add(i);
            if ffi::sqlite3_value_type(value) == ffi::SQLITE_NULL {
                continue;
            }
            let pattern = ffi::sqlite3_value_text(value);
            if pattern.is_null() {
                continue;
            }
            found = match &folded_c {
                Some(folded_c) => {
                    ffi::sqlite3_strlike(pattern.cast(), folded_c.as_ptr(), u32::from(b'\\')) == 0
                }
                None => {
                    let pattern = std::ffi::CStr::from_ptr(pattern.cast()).to_string_lossy();
                    like_in_rust(&pattern, &folded)
                }
            };
            if found {
                break;
            }
        }
        ffi::sqlite3_result_int(ctx, c_int::from(found));
    }
}

/// The LIKE pattern [`fold_like_sql`] takes for a contains (`starts_with` false) or
/// starts-with comparison with `value`; `None` when `value` holds a NUL, which a C
/// pattern cannot (compare those with `instr(fold(…), fold(?))`).
pub fn like_pattern(value: &str, starts_with: bool) -> Option<String> {
    if value.contains('\0') {
        return None;
    }
    let mut pattern = String::with_capacity(value.len() + 4);
    if !starts_with {
        pattern.push('%');
    }
    for ch in fold(value).chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    Some(pattern)
}

/// A [`like_pattern`] matched against `folded` without C strings (it holds a NUL).
fn like_in_rust(pattern: &str, folded: &str) -> bool {
    let (contains, rest) = match pattern.strip_prefix('%') {
        Some(rest) => (true, rest),
        None => (false, pattern),
    };
    let rest = rest.strip_suffix('%').unwrap_or(rest);
    let mut needle = String::with_capacity(rest.len());
    let mut chars = rest.chars();
    while let Some(ch) = chars.next() {
        needle.push(if ch == '\\' {
            chars.next().unwrap_or(ch)
        } else {
            ch
        });
    }
    if contains {
        folded.contains(&needle)
    } else {
        folded.starts_with(&needle)
    }
}

/// A value read as text (numbers as SQLite writes them); `None` for `NULL`.
///
/// # Safety
/// `value` is a value SQLite passed to the running function.
unsafe fn value_str<'a>(value: *mut ffi::sqlite3_value) -> Option<std::borrow::Cow<'a, str>> {
    // SAFETY: as the caller promises; the pointer and length come from SQLite together.
    unsafe {
        if ffi::sqlite3_value_type(value) == ffi::SQLITE_NULL {
            return None;
        }
        let text = ffi::sqlite3_value_text(value);
        let len = ffi::sqlite3_value_bytes(value);
        if text.is_null() || len < 0 {
            return None;
        }
        Some(String::from_utf8_lossy(std::slice::from_raw_parts(
            text,
            len as usize,
        )))
    }
}

/// Adds `fold` and `fold_like` to a connection.
pub async fn register(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    type SqlFn =
        unsafe extern "C" fn(*mut ffi::sqlite3_context, c_int, *mut *mut ffi::sqlite3_value);
    let functions: [(&std::ffi::CStr, c_int, SqlFn); 2] =
        [(c"fold", 1, fold_sql), (c"fold_like", -1, fold_like_sql)];
    for (name, args, function) in functions {
        // SAFETY: `db` is this connection's open handle, held locked for the call; the
        // name is a NUL-terminated literal; no user data or destructor is passed.
        let rc = unsafe {
            ffi::sqlite3_create_function_v2(
                db,
                name.as_ptr(),
                args,
                ffi::SQLITE_UTF8 | ffi::SQLITE_DETERMINISTIC | ffi::SQLITE_INNOCUOUS,
                ptr::null_mut(),
                Some(function),
                None,
                None,
                None,
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(sqlx::Error::Protocol(format!(
                "cannot register the SQL function {} (SQLite code {rc})",
                name.to_string_lossy()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn folds_every_script_and_keeps_null() {
        let pool = crate::db::open_in_memory().await.expect("db");
        let row: (Option<String>, Option<String>, Option<String>, i64) = crate::db::query_as(
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

    #[tokio::test]
    async fn fold_like_agrees_with_instr_of_fold() {
        let pool = crate::db::open_in_memory().await.expect("db");
        let texts = [
            Some("Олена Коваленко"),
            Some("ÉLODIE Straße"),
            Some("100% _real_ a\\b"),
            Some("nul\0inside"),
            Some("abc"),
            Some(""),
            None,
        ];
        let needle_sets: [&[&str]; 9] = [
            &["КОВ"],
            &["zz", "élo"],
            &["ОЛЕ", "x"],
            &["c"],
            &["%"],
            &["0% _"],
            &["_r", "a\\b"],
            &["inside", "nul"],
            &["a_c", "a%"],
        ];
        for text in texts {
            for needles in needle_sets {
                for (starts_with, cmp) in [(false, "> 0"), (true, "= 1")] {
                    let expected = needles
                        .iter()
                        .map(|_| format!("instr(fold(?), fold(?)) {cmp}"))
                        .collect::<Vec<_>>()
                        .join(" OR ");
                    let marks = vec!["?"; needles.len()].join(", ");
                    let sql = format!("SELECT ({expected}), fold_like(?, {marks})");
                    let mut q = crate::db::query_as::<(Option<bool>, Option<bool>)>(&sql);
                    for n in needles {
                        q = q.bind(text).bind(*n);
                    }
                    q = q.bind(text);
                    for n in needles {
                        q = q.bind(super::like_pattern(n, starts_with).expect("no NUL"));
                    }
                    let (by_instr, by_like) = q.fetch_one(&pool).await.expect("query");
                    assert_eq!(
                        by_like, by_instr,
                        "{text:?} {needles:?} starts_with {starts_with}"
                    );
                }
            }
        }
        assert_eq!(super::like_pattern("a\0b", false), None);
        assert_eq!(
            super::like_pattern("50%_OFF\\", true).as_deref(),
            Some("50\\%\\_off\\\\%")
        );
    }
}
