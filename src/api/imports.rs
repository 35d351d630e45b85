//! [ext] Contacts from a spreadsheet: `POST /contacts/import` (a dry run or the run, as a
//! multipart upload), the account's past imports, their undo and their refused rows.
//!
//! The answers are the model's [`ImportReport`], [`ImportSummary`] and [`UndoReport`].

use std::sync::Arc;

use novatalks_model::import::{ImportReport, ImportSummary, Mapping, OnMatch, UndoReport};
use serde::Deserialize;

use super::{ApiClient, ApiError, FormPart, FormValue};

/// One import as the page sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRequest {
    pub file_name: String,
    pub bytes: Arc<[u8]>,
    pub mapping: Mapping,
    pub on_match: OnMatch,
    pub dry_run: bool,
}

/// The multipart fields of `request`: `import_file`, then [ext] `mapping`, `on_match`
/// and `dry_run`.
pub fn form(request: &ImportRequest) -> Vec<FormPart> {
    let text = |name: &str, value: String| FormPart {
        name: name.to_owned(),
        value: FormValue::Text(value),
    };
    let on_match = match request.on_match {
        OnMatch::Update => "update",
        OnMatch::Skip => "skip",
    };
    vec![
        FormPart {
            name: "import_file".to_owned(),
            value: FormValue::File {
                file_name: request.file_name.clone(),
                bytes: Arc::clone(&request.bytes),
            },
        },
        text("mapping", request.mapping.to_json()),
        text("on_match", on_match.to_owned()),
        text("dry_run", request.dry_run.to_string()),
    ]
}

/// `POST /api/v1/accounts/{id}/contacts/import`: what the import did, or would do.
pub async fn send(client: &ApiClient, request: &ImportRequest) -> Result<ImportReport, ApiError> {
    let path = client.account_path("/contacts/import")?;
    client.post_form(&path, form(request)).await
}

/// `GET /contacts/imports`: the account's imports, newest first.
pub async fn list(client: &ApiClient) -> Result<Vec<ImportSummary>, ApiError> {
    #[derive(Deserialize)]
    struct Listed {
        payload: Vec<ImportSummary>,
    }
    let path = client.account_path("/contacts/imports")?;
    let listed: Listed = client.get(&path).await?;
    Ok(listed.payload)
}

/// `DELETE /contacts/imports/{id}`: undoes an import.
pub async fn undo(client: &ApiClient, id: i64) -> Result<UndoReport, ApiError> {
    let path = client.account_path(&format!("/contacts/imports/{id}"))?;
    client.delete_for(&path).await
}

/// `GET /contacts/imports/{id}/refused.csv`: the refused rows with an errors column, as
/// text starting with its BOM.
pub async fn refused_rows(client: &ApiClient, id: i64) -> Result<String, ApiError> {
    let path = client.account_path(&format!("/contacts/imports/{id}/refused.csv"))?;
    Ok(super::bulk::with_bom(client.get_text(&path).await?))
}

/// The file name the refused rows are saved as: `import-12-refused.csv`.
pub fn refused_file_name(id: i64) -> String {
    format!("import-{id}-refused.csv")
}

#[cfg(test)]
mod tests {
    use super::*;
    use novatalks_model::import::{Column, Target};

    #[test]
    fn the_form_carries_the_file_and_the_mapping_as_json() {
        let request = ImportRequest {
            file_name: "clients.csv".into(),
            bytes: Arc::from(&b"Name;Phone\nOlena;0501234567\n"[..]),
            mapping: Mapping {
                entries: vec![
                    (Column::Index(0), Target::Name),
                    (Column::Index(1), Target::Phone),
                ],
            },
            on_match: OnMatch::Skip,
            dry_run: true,
        };
        let parts = form(&request);
        assert_eq!(parts[0].name, "import_file");
        assert!(
            matches!(&parts[0].value, FormValue::File { file_name, bytes }
            if file_name == "clients.csv" && bytes.len() == 28)
        );
        let texts: Vec<(&str, &str)> = parts[1..]
            .iter()
            .map(|p| match &p.value {
                FormValue::Text(t) => (p.name.as_str(), t.as_str()),
                FormValue::File { .. } => ("file", ""),
            })
            .collect();
        assert_eq!(
            texts,
            [
                (
                    "mapping",
                    r#"[{"column":0,"target":"name"},{"column":1,"target":"phone"}]"#
                ),
                ("on_match", "skip"),
                ("dry_run", "true"),
            ]
        );
    }
}
