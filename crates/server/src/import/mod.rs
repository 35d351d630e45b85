//! Contacts from a spreadsheet: `POST /contacts/import` (Chatwoot's, with [ext] fields),
//! and [ext] `GET /contacts/imports`, `DELETE /contacts/imports/{id}` (the undo) and
//! `GET /contacts/imports/{id}/refused.csv`.
//!
//! How an import runs: the multipart upload is read (the file up to 50 MB: this route
//! alone is exempt from the 1 MB body limit, see `http::body_limit`), decoded and read
//! into checked drafts ([`read`], with `novatalks_model::import`), then, in one
//! transaction, matched and applied set-based ([`run`]) and recorded for the undo
//! ([`undo`]). A dry run goes through the very same steps in a read transaction and
//! changes nothing. Refused rows never stop the others; a database failure rolls all
//! back.

pub mod read;
pub mod run;
pub mod undo;
pub mod wording;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use novatalks_model::import::{
    self, ImportProblem, ImportReport, ImportSummary, ImportUser, OnMatch, UndoReport,
    IMPORT_UNDO_SECONDS, MAX_IMPORT_BYTES, MAX_LISTED_PROBLEMS,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Scope;
use crate::http::extract::PathParams;
use crate::{AppError, AppState};
use read::{refused_csv, Sheet};
use wording::on_line;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_contacts))
        .routes(routes!(list_imports))
        .routes(routes!(undo_import))
        .routes(routes!(refused_rows))
        // The upload's own limits apply (`http::body_limit`, and the file's 50 MB here).
        .layer(axum::extract::DefaultBodyLimit::disable())
}

/// The import's multipart form.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ImportForm {
    /// The CSV file: UTF-8 (with or without BOM), UTF-16 or Windows-1251; `,`, `;` or
    /// tab between fields; a header row; up to 50 MB and 200,000 rows.
    #[schema(value_type = String, format = Binary)]
    import_file: Vec<u8>,
    /// [ext] JSON: which column fills what, `[{"column": "Ім'я" or 0, "target": "name"},
    /// …]`; targets `name`, `email`, `phone`, `identifier`, `labels`, `city`, `country`,
    /// `company`, `language`, `custom_attribute` (with `key`), `new_custom_attribute`
    /// (with `key`, and optional `display_name`, `display_type`), `ignore`. Columns not
    /// named are ignored. Without it the header names are read (Chatwoot's, English,
    /// Ukrainian), and other columns fill the custom attribute named as their header.
    mapping: Option<String>,
    /// [ext] A row matching an existing contact (by identifier, then email in any case,
    /// then phone in any writing): `update` it (default) or `skip` it.
    on_match: Option<OnMatch>,
    /// [ext] `true`: only report what would happen; nothing changes.
    dry_run: Option<bool>,
}

/// What the form sent.
struct Upload {
    file: Vec<u8>,
    file_name: Option<String>,
    mapping: Option<String>,
    on_match: OnMatch,
    dry_run: bool,
}

/// Text fields of the form are short.
const MAX_FIELD_BYTES: usize = 1024 * 1024;
/// An import that created or updated this many contacts refreshes the planner's
/// statistics right after it (PostgreSQL): searches then stay on their indexes.
const STATISTICS_AFTER_ROWS: u64 = 1_000;

/// Chatwoot's answer to an import without `import_file` (`errors.contacts.import.failed`).
const CHATWOOT_FILE_BLANK: &str = "File is blank";

fn unreadable(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        // A body sent without a length that grew past the route's limit.
        return AppError::BadRequest(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "The upload is larger than the limit of {} bytes",
                crate::MAX_IMPORT_BODY_BYTES
            ),
        );
    }
    AppError::invalid(
        "import_file",
        format!("The upload could not be read as multipart/form-data ({e})"),
    )
}

async fn read_upload(request: Request, state: &AppState) -> Result<Upload, AppError> {
    let stock = state.config.stock_chatwoot;
    // No body, or one that is not multipart: no file was sent, a 422 as Chatwoot answers
    // (`{"error": "File is blank"}`), in our words outside stock mode.
    let mut form = Multipart::from_request(request, state).await.map_err(|_| {
        AppError::Unprocessable(if stock {
            CHATWOOT_FILE_BLANK.to_owned()
        } else {
            "No file was sent: send the CSV file as multipart/form-data, in the field import_file"
                .to_owned()
        })
    })?;
    let mut upload = Upload {
        file: Vec::new(),
        file_name: None,
        mapping: None,
        on_match: OnMatch::Update,
        dry_run: false,
    };
    let mut has_file = false;
    while let Some(mut field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "import_file" => {
                has_file = true;
                upload.file_name = field.file_name().map(|n| n.chars().take(255).collect());
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    if upload.file.len() + chunk.len() > MAX_IMPORT_BYTES {
                        return Err(AppError::invalid(
                            "import_file",
                            format!(
                                "The file is larger than {} MB: split it into smaller files",
                                MAX_IMPORT_BYTES / (1024 * 1024)
                            ),
                        ));
                    }
                    upload.file.extend_from_slice(&chunk);
                }
            }
            "mapping" | "on_match" | "dry_run" => {
                let mut text = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    if text.len() + chunk.len() > MAX_FIELD_BYTES {
                        return Err(AppError::invalid(
                            &name,
                            format!("{name} is longer than 1 MB"),
                        ));
                    }
                    text.extend_from_slice(&chunk);
                }
                let text = String::from_utf8(text)
                    .map_err(|_| AppError::invalid(&name, format!("{name} must be UTF-8 text")))?;
                let value = text.trim();
                match name.as_str() {
                    "mapping" => upload.mapping = Some(value.to_owned()).filter(|m| !m.is_empty()),
                    "on_match" => {
                        upload.on_match = match value {
                            "" | "update" => OnMatch::Update,
                            "skip" => OnMatch::Skip,
                            other => {
                                return Err(AppError::invalid(
                                    "on_match",
                                    format!(
                                        "on_match '{}' is neither 'update' nor 'skip'",
                                        wording::shown(other)
                                    ),
                                ))
                            }
                        }
                    }
                    _ => {
                        upload.dry_run = match value {
                            "true" | "1" => true,
                            "" | "false" | "0" => false,
                            other => {
                                return Err(AppError::invalid(
                                    "dry_run",
                                    format!(
                                        "dry_run '{}' is neither true nor false",
                                        wording::shown(other)
                                    ),
                                ))
                            }
                        }
                    }
                }
            }
            // Other fields (a client's extras) are passed over, as Chatwoot does.
            _ => while field.chunk().await.map_err(unreadable)?.is_some() {},
        }
    }
    if !has_file && stock {
        return Err(AppError::Unprocessable(CHATWOOT_FILE_BLANK.to_owned()));
    }
    if !has_file {
        return Err(AppError::invalid(
            "import_file",
            "Send the CSV file in the field import_file",
        ));
    }
    if upload.file.is_empty() {
        return Err(AppError::invalid(
            "import_file",
            "The file is empty: it needs a header row naming its columns, then a row per contact",
        ));
    }
    // A workbook rather than its CSV: .xlsx and .ods are zip archives, .xls an OLE file.
    if upload.file.starts_with(b"PK\x03\x04") || upload.file.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
    {
        return Err(AppError::invalid(
            "import_file",
            "This is a spreadsheet workbook (.xlsx, .xls or .ods), not a CSV file: open it and save it as CSV (\"CSV UTF-8\" in Excel), then import that",
        ));
    }
    Ok(upload)
}

/// Imports contacts from a CSV file: Chatwoot's `import_file`, read with its header
/// names (`name`, `email`, `phone_number`, `identifier`, `city`, `country`, `company`,
/// others as custom attributes) or, [ext], English and Ukrainian ones or a `mapping`.
/// UTF-8 (with or without BOM), UTF-16 and Windows-1251 files; `,`, `;` or tab; quoted
/// fields with line breaks; up to 50 MB and 200,000 rows. A row matching a contact (by
/// identifier, then email in any case, then phone in any writing, national numbers read
/// in the row's country or the account's) updates it (its non-empty cells; labels are
/// added) or, [ext] `on_match: skip`, is skipped. Every accepted row is applied, or (on a
/// failure) none; refused rows are reported by line and column and do not stop the
/// others. [ext] `dry_run: true` reports without changing anything. A stock server
/// answers an empty 200.
#[utoipa::path(post, path = "/contacts/import", tag = "contacts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id")),
    request_body(content = ImportForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, body = ImportReport, description = "[ext] What the import did (or would do); a stock server answers an empty body"),
        (status = 401),
        (status = 413, description = "The upload is larger than 51 MB"),
        (status = 422, description = "No file (no body, or not multipart/form-data: `{\"error\"}`), an empty or unreadable file, over 50 MB or 200,000 rows, a mapping that cannot be used, no name, email or phone column; in words"),
        (status = 503, description = "The database stayed busy; send it again"),
    ))]
async fn import_contacts(
    State(state): State<AppState>,
    scope: Scope,
    request: Request,
) -> Result<Response, AppError> {
    let mut upload = read_upload(request, &state).await?;
    let stock = state.config.stock_chatwoot;
    if stock {
        // Chatwoot's import takes the file alone.
        upload.mapping = None;
        upload.on_match = OnMatch::Update;
        upload.dry_run = false;
    }
    let (definitions, region) = {
        let mut conn = state.db.acquire().await?;
        let definitions =
            crate::custom_attributes::contact_attribute_definitions(&mut conn, scope.account_id)
                .await?;
        let region = crate::contacts::account_default_region(&mut conn, scope.account_id).await?;
        (definitions, region)
    };
    // Decoding and reading 200,000 rows is a second or two of CPU: off the async workers.
    let file = std::mem::take(&mut upload.file);
    let mapping = upload.mapping.take();
    let (text, sheet) = tokio::task::spawn_blocking(move || {
        let (text, encoding) = import::decode_detected(&file);
        drop(file);
        let sheet = read::read(&text, encoding, mapping.as_deref(), &definitions, &region);
        (text, sheet)
    })
    .await
    .map_err(|e| AppError::internal(format!("reading the import's file stopped: {e}")))?;
    let mut sheet = sheet?;

    let now = crate::db::now();
    let report = if upload.dry_run {
        let mut tx = crate::db::read_tx(&state.db).await?;
        let outcome = run::plan(&mut tx, scope.account_id, &mut sheet, upload.on_match).await?;
        run::clear(&mut tx).await?;
        tx.rollback().await?;
        report(&sheet, &outcome, None, true, None)
    } else {
        let mut tx = crate::db::write_tx(&state.db).await?;
        undo::clean_up(&mut tx, now).await?;
        let outcome = run::plan(&mut tx, scope.account_id, &mut sheet, upload.on_match).await?;
        let until = now + IMPORT_UNDO_SECONDS;
        let import_id: i64 = crate::db::query_scalar(
            "INSERT INTO contact_imports (account_id, user_id, user_name, file_name, on_match, row_count,
               created, updated, skipped, failed, refused_csv, created_at, expires_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(scope.account_id)
        .bind(scope.user_id)
        .bind(&scope.user_name)
        .bind(upload.file_name.clone())
        .bind(on_match_word(upload.on_match))
        .bind(sheet.rows)
        .bind(outcome.created)
        .bind(outcome.updated)
        .bind(outcome.skipped)
        .bind(sheet.refused.len())
        .bind(refused_csv(
            &text,
            sheet.delimiter,
            &sheet.headers,
            &sheet.refused,
        ))
        .bind(now)
        .bind(until)
        .fetch_one(&mut tx)
        .await?;
        run::apply(
            &mut tx,
            scope.account_id,
            import_id,
            &sheet.new_definitions,
            now,
        )
        .await?;
        run::clear(&mut tx).await?;
        tx.commit().await?;
        if outcome.created + outcome.updated >= STATISTICS_AFTER_ROWS {
            // After the answer: a VACUUM of a million contacts takes seconds, and the
            // import is done whether or not it runs.
            let db = state.db.clone();
            tokio::spawn(async move {
                if let Err(e) = crate::db::refresh_statistics(&db, crate::db::CONTACT_TABLES).await
                {
                    tracing::warn!("statistics after an import: {e}");
                }
            });
        }
        report(&sheet, &outcome, Some(import_id), false, Some(until))
    };
    if stock {
        // Chatwoot enqueues the import and answers an empty 200.
        return Ok(StatusCode::OK.into_response());
    }
    Ok(Json(report).into_response())
}

fn on_match_word(on_match: OnMatch) -> &'static str {
    match on_match {
        OnMatch::Update => "update",
        OnMatch::Skip => "skip",
    }
}

fn report(
    sheet: &Sheet,
    outcome: &run::Outcome,
    id: Option<i64>,
    dry_run: bool,
    undo_until: Option<i64>,
) -> ImportReport {
    let problems: Vec<ImportProblem> = sheet
        .refused
        .iter()
        .flat_map(|(line, refusals)| {
            refusals.iter().map(|r| ImportProblem {
                line: *line,
                column: r.column.clone(),
                message: on_line(*line, &r.what),
            })
        })
        .take(MAX_LISTED_PROBLEMS)
        .collect();
    ImportReport {
        id,
        dry_run,
        rows: sheet.rows,
        created: outcome.created,
        updated: outcome.updated,
        skipped: outcome.skipped,
        failed: sheet.refused.len() as u64,
        problems,
        encoding: sheet.encoding,
        delimiter: sheet.delimiter.to_string(),
        mapping: sheet.mapping.to_entries(),
        new_attributes: sheet
            .new_definitions
            .iter()
            .map(|d| d.attribute_key.clone())
            .collect(),
        new_labels: outcome.new_labels.clone(),
        undo_until,
    }
}

/// `{"payload": [...]}`
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportList {
    pub payload: Vec<ImportSummary>,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    user_id: Option<i64>,
    user_name: Option<String>,
    file_name: Option<String>,
    on_match: String,
    row_count: i64,
    created: i64,
    updated: i64,
    skipped: i64,
    failed: i64,
    created_at: i64,
    expires_at: i64,
    undone_at: Option<i64>,
}

/// [ext] The account's past imports, newest first (the last 100): who ran each and when,
/// its counts, and whether it was undone or can still be.
#[utoipa::path(get, path = "/contacts/imports", tag = "contacts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id")),
    responses((status = 200, body = ImportList), (status = 401)))]
async fn list_imports(
    State(state): State<AppState>,
    scope: Scope,
) -> Result<Json<ImportList>, AppError> {
    let rows: Vec<SummaryRow> = crate::db::query_as(
        "SELECT id, user_id, user_name, file_name, on_match, row_count, created, updated, skipped,
           failed, created_at, expires_at, undone_at
         FROM contact_imports WHERE account_id = ? ORDER BY id DESC LIMIT 100",
    )
    .bind(scope.account_id)
    .fetch_all(&state.db)
    .await?;
    let now = crate::db::now();
    let count = |n: i64| n.max(0) as u64;
    Ok(Json(ImportList {
        payload: rows
            .into_iter()
            .map(|r| ImportSummary {
                id: r.id,
                user: ImportUser {
                    id: r.user_id,
                    name: r.user_name,
                },
                file_name: r.file_name,
                created_at: r.created_at,
                on_match: if r.on_match == "skip" {
                    OnMatch::Skip
                } else {
                    OnMatch::Update
                },
                rows: count(r.row_count),
                created: count(r.created),
                updated: count(r.updated),
                skipped: count(r.skipped),
                failed: count(r.failed),
                undo_until: r.expires_at,
                can_undo: r.undone_at.is_none() && r.expires_at > now,
                undone_at: r.undone_at,
            })
            .collect(),
    }))
}

/// [ext] Undoes an import, within 24 hours: the contacts it created are deleted, those it
/// updated get back their values from before it and lose the labels it gave them.
/// Contacts changed since the import are left as they are and named in `left`.
#[utoipa::path(delete, path = "/contacts/imports/{id}", tag = "contacts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Import id")),
    responses(
        (status = 200, body = UndoReport),
        (status = 401),
        (status = 404, description = "No such import in this account"),
        (status = 409, description = "Undone already, or a value to restore was taken since (nothing changed)"),
        (status = 422, description = "The 24 hours of its undo are over"),
    ))]
async fn undo_import(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
) -> Result<Json<UndoReport>, AppError> {
    let id = path.id("id")?;
    let now = crate::db::now();
    let mut tx = crate::db::write_tx(&state.db).await?;
    let report = undo::undo(&mut tx, scope.account_id, id, now).await?;
    tx.commit().await?;
    Ok(Json(report))
}

/// [ext] The rows an import refused, as CSV (UTF-8 with BOM): the file's columns and an
/// `errors` column saying what is wrong with each, to fix and import again.
#[utoipa::path(get, path = "/contacts/imports/{id}/refused.csv", tag = "contacts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path, description = "Account id"), ("id" = i64, Path, description = "Import id")),
    responses(
        (status = 200, content_type = "text/csv", description = "The refused rows with an errors column"),
        (status = 401),
        (status = 404, description = "No such import in this account"),
    ))]
async fn refused_rows(
    State(state): State<AppState>,
    scope: Scope,
    path: PathParams,
) -> Result<Response, AppError> {
    let id = path.id("id")?;
    let csv: String = crate::db::query_scalar(
        "SELECT refused_csv FROM contact_imports WHERE id = ? AND account_id = ?",
    )
    .bind(id)
    .bind(scope.account_id)
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    let mut response = Response::new(Body::from(format!("\u{FEFF}{csv}")));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) =
        HeaderValue::from_str(&format!("attachment; filename=\"import-{id}-refused.csv\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
