//! Import of last year's list of poor and near-poor households from XLSX or CSV: upload, a
//! preview with the guessed column mapping (editable) and every row's problems, then the
//! import — refused while rows have errors unless the user accepts the valid rows only. Each
//! valid row becomes a household document (listed for review, so collectors visit it) stored
//! through the same path as a phone's upload; households already present are left as they
//! are, so importing the same list twice changes nothing. The rules (mapping, row → record)
//! are `shared::import`.

use std::io::Cursor;

use automerge::ActorId;
use automerge::transaction::CommitOptions;
use axum::Form;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::Response;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Value, json};
use shared::import::{ImportContext, ImportField, guess_mapping, row_to_household};
use shared::review::ReviewStatus;
use shared::text::Lang;

use super::i18n::t;
use super::layout::{Ctx, html_response, number, page};
use super::session::Page;
use crate::service::auth::Principal;
use crate::service::http::AppState;
use crate::service::store::sessions::audit;

/// The largest file accepted.
pub const MAX_FILE: usize = 5 * 1024 * 1024;
/// The most rows read from a file.
const MAX_ROWS: usize = 20_000;
/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 30;

/// A file read as a table of text cells.
#[derive(Debug, Clone, Default, serde::Serialize, Deserialize)]
pub struct Table {
    /// The heading row.
    pub headings: Vec<String>,
    /// The data rows.
    pub rows: Vec<Vec<String>>,
}

/// Reads an XLSX (first sheet) or CSV (UTF-8, with or without a byte-order mark) file; the
/// first non-empty row is the headings.
pub fn read_table(bytes: &[u8]) -> Result<Table, String> {
    let mut all: Vec<Vec<String>> = if bytes.starts_with(b"PK") {
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| format!("XLSX: {e}"))?;
        let range = wb.worksheet_range_at(0).ok_or("XLSX: no sheet")?.map_err(|e| format!("XLSX: {e}"))?;
        range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Data::String(s) => s.clone(),
                        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                        Data::Float(f) => f.to_string(),
                        Data::Int(i) => i.to_string(),
                        Data::Bool(b) => b.to_string(),
                        Data::Empty => String::new(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect()
    } else {
        let text = std::str::from_utf8(bytes).map_err(|_| "CSV: not UTF-8".to_owned())?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        reader
            .records()
            .map(|r| r.map(|r| r.iter().map(str::to_owned).collect()).map_err(|e| format!("CSV: {e}")))
            .collect::<Result<_, _>>()?
    };
    all.retain(|r: &Vec<String>| r.iter().any(|c| !c.trim().is_empty()));
    if all.is_empty() {
        return Err("empty file".into());
    }
    let headings = all.remove(0);
    if all.len() > MAX_ROWS {
        return Err(format!("more than {MAX_ROWS} rows"));
    }
    Ok(Table { headings, rows: all })
}

/// `GET /import`.
pub async fn form(pg: Page) -> Response {
    let ctx = &pg.ctx;
    html_response(page(ctx, t(ctx.lang, "import"), "import", upload_form(ctx, None)))
}

fn upload_form(ctx: &Ctx, error: Option<&str>) -> Markup {
    let lang = ctx.lang;
    html! {
        @if let Some(e) = error { p.error role="alert" { (e) } }
        section.card {
            p { (t(lang, "import_help")) }
            form method="post" action="/import/preview" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(ctx.csrf);
                label { (t(lang, "import_file")) input type="file" name="file" accept=".xlsx,.csv" required; }
                div.actions { button type="submit" { (t(lang, "import_preview")) } }
            }
        }
    }
}

/// `POST /import/preview` (multipart: `csrf`, `file`).
pub async fn preview(
    State(state): State<AppState>,
    pg: Page,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let ctx = &pg.ctx;
    let (mut csrf, mut file) = (String::new(), None);
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => file = field.bytes().await.ok(),
            _ => {}
        }
    }
    if !pg.check_form(&headers, &csrf) {
        return super::forbidden(ctx);
    }
    let table = match file.as_deref().map(read_table) {
        Some(Ok(t)) => t,
        Some(Err(e)) => return html_response(page(ctx, t(ctx.lang, "import"), "import", upload_form(ctx, Some(&e)))),
        None => {
            return html_response(page(
                ctx,
                t(ctx.lang, "import"),
                "import",
                upload_form(ctx, Some(t(ctx.lang, "bad_form"))),
            ));
        }
    };
    let mapping = guess_mapping(&table.headings);
    let context = match import_context(&state, &pg.user.principal).await {
        Ok(c) => c,
        Err(e) => return super::internal(e),
    };
    html_response(page(ctx, t(ctx.lang, "import"), "import", preview_page(ctx, &table, &mapping, &context, None)))
}

async fn import_context(state: &AppState, p: &Principal) -> Result<ImportContext, crate::service::store::StoreError> {
    let urban = crate::service::store::browse::commune_is_urban(&state.db, &p.commune).await?.unwrap_or(true);
    let today = crate::service::clock::today_in_vietnam();
    use chrono::Datelike;
    Ok(ImportContext {
        province: p.province.clone(),
        commune: p.commune.clone(),
        urban,
        review_year: today.year(),
        today,
    })
}

type Checked = Vec<Result<Value, Vec<shared::text::Text>>>;

fn preview_page(
    ctx: &Ctx,
    table: &Table,
    mapping: &[Option<usize>],
    context: &ImportContext,
    message: Option<&str>,
) -> Markup {
    let lang = ctx.lang;
    let checked: Checked = table.rows.iter().map(|r| row_to_household(r, mapping, context)).collect();
    let bad = checked.iter().filter(|c| c.is_err()).count();
    let data = serde_json::to_string(table).unwrap_or_default();
    html! {
        @if let Some(m) = message { p.error role="alert" { (m) } }
        form method="post" action="/import/commit" {
            input type="hidden" name="csrf" value=(ctx.csrf);
            input type="hidden" name="data" value=(data);
            section.card #mapping {
                h2 { (t(lang, "import_mapping")) }
                div.filters {
                    @for (i, f) in ImportField::ALL.iter().enumerate() {
                        label { (f.label().get(lang)) @if f.required() { " *" }
                            select name={"map_" (f.code())} {
                                option value="" { "—" }
                                @for (c, h) in table.headings.iter().enumerate() {
                                    option value=(c) selected[mapping.get(i).copied().flatten() == Some(c)] { (h) }
                                }
                            }
                        }
                    }
                }
                div.actions { button.secondary type="submit" name="go" value="recheck" { (t(lang, "import_recheck")) } }
            }
            section.card #rows {
                h2 { (t(lang, "import_rows")) ": " (number(lang, table.rows.len() as i64)) " — " (t(lang, "import_valid")) " " (number(lang, (table.rows.len() - bad) as i64)) ", " (t(lang, "import_invalid")) " " (number(lang, bad as i64)) }
                (rows_table(lang, table, &checked))
                div.actions {
                    @if bad > 0 {
                        label.check { input type="checkbox" name="accept" value="1"; (t(lang, "import_accept")) }
                    }
                    button type="submit" name="go" value="import" { (t(lang, "import_do")) }
                }
            }
        }
    }
}

fn rows_table(lang: Lang, table: &Table, checked: &Checked) -> Markup {
    let shown: Vec<usize> = {
        // Every invalid row first (up to the limit), then valid ones.
        let mut v: Vec<usize> = (0..checked.len()).filter(|i| checked[*i].is_err()).collect();
        v.extend((0..checked.len()).filter(|i| checked[*i].is_ok()));
        v.truncate(PREVIEW_ROWS.max(v.iter().take_while(|i| checked[**i].is_err()).count()).min(500));
        v
    };
    html! {
        div.scroll { table {
            thead { tr { th.num { "#" } @for h in &table.headings { th { (h) } } th { (t(lang, "status")) } } }
            tbody { @for i in shown {
                tr {
                    td.num { (i + 2) }
                    @for c in &table.rows[i] { td { (c) } }
                    td { @match &checked[i] {
                        Ok(_) => span.badge.st-not_deprived { "OK" },
                        Err(problems) => span.warn { (problems.iter().map(|p| p.get(lang).to_owned()).collect::<Vec<_>>().join("; ")) },
                    } }
                }
            } }
        } }
        p.muted { (t(lang, "import_row_note")) }
    }
}

/// `POST /import/commit` form.
#[derive(Debug, Deserialize)]
pub struct CommitForm {
    csrf: String,
    data: String,
    go: Option<String>,
    accept: Option<String>,
    #[serde(flatten)]
    mapping: std::collections::HashMap<String, String>,
}

impl CommitForm {
    fn mapping(&self, columns: usize) -> Vec<Option<usize>> {
        ImportField::ALL
            .iter()
            .map(|f| {
                self.mapping.get(&format!("map_{}", f.code())).and_then(|v| v.parse().ok()).filter(|c| *c < columns)
            })
            .collect()
    }
}

/// `POST /import/commit`: re-checks every row with the chosen mapping and imports the valid
/// ones (all of them, or — when some rows are invalid — only if the user accepted that).
pub async fn commit(
    State(state): State<AppState>,
    pg: Page,
    headers: HeaderMap,
    Form(f): Form<CommitForm>,
) -> Response {
    let ctx = &pg.ctx;
    let lang = ctx.lang;
    if !pg.check_form(&headers, &f.csrf) {
        return super::forbidden(ctx);
    }
    let Ok(table) = serde_json::from_str::<Table>(&f.data) else { return super::forbidden(ctx) };
    if table.rows.len() > MAX_ROWS {
        return super::forbidden(ctx);
    }
    let mapping = f.mapping(table.headings.len());
    let p = &pg.user.principal;
    let context = match import_context(&state, p).await {
        Ok(c) => c,
        Err(e) => return super::internal(e),
    };
    let checked: Checked = table.rows.iter().map(|r| row_to_household(r, &mapping, &context)).collect();
    let bad = checked.iter().filter(|c| c.is_err()).count();
    if f.go.as_deref() != Some("import") || (bad > 0 && f.accept.is_none()) {
        let message = (f.go.as_deref() == Some("import")).then(|| t(lang, "import_refused"));
        return html_response(page(
            ctx,
            t(lang, "import"),
            "import",
            preview_page(ctx, &table, &mapping, &context, message),
        ));
    }
    let records: Vec<Value> = checked.into_iter().filter_map(Result::ok).collect();
    match store_records(&state, p, &records).await {
        Ok((created, present)) => {
            let detail =
                json!({"rows": table.rows.len(), "invalid": bad, "created": created, "already_present": present});
            if let Err(e) = audit(&state.db, Some(&p.user_id), "import", None, &detail).await {
                return super::internal(e);
            }
            tracing::info!(created, present, invalid = bad, "list imported");
            let body = html! {
                p.notice role="status" #import-result {
                    (t(lang, "import_created")) ": " (number(lang, created as i64)) "; "
                    (t(lang, "import_present")) ": " (number(lang, present as i64)) "; "
                    (t(lang, "import_invalid")) ": " (number(lang, bad as i64))
                }
                a href="/households?review=listed" { (t(lang, "households")) }
            };
            html_response(page(ctx, t(lang, "import"), "import", body))
        }
        Err(e) => {
            tracing::error!(error = %e, "import failed");
            axum::response::IntoResponse::into_response(crate::service::http::Error::BadRequest("import failed".into()))
        }
    }
}

/// Stores each record not yet in the registry as a new household document, listed for review,
/// in batches of 100 through [`crate::service::sync::store_changes`]. Returns (created, already present).
async fn store_records(state: &AppState, p: &Principal, records: &[Value]) -> Result<(usize, usize), String> {
    let ids: Vec<String> = records.iter().filter_map(|r| r["household_id"].as_str().map(str::to_owned)).collect();
    let present = crate::service::store::browse::existing_ids(&state.db, &ids).await.map_err(|e| e.to_string())?;
    let review = shared::doc::DocReview {
        status: ReviewStatus::Listed,
        comment: None,
        agreement_percent: None,
        by: Some(p.user_id.clone()),
        at: Some(crate::service::db::now_text()),
    };
    let mut created = 0;
    let mut batch = Vec::new();
    let fresh: Vec<&Value> =
        records.iter().filter(|r| !r["household_id"].as_str().is_some_and(|id| present.contains(id))).collect();
    for (i, record) in fresh.iter().enumerate() {
        let (Some(h), _) = shared::model::read_household(record) else { continue };
        let mut doc = shared::doc::new_document(&h, ActorId::random()).map_err(|e| e.to_string())?;
        shared::doc::set_review(&mut doc, &review).map_err(|e| e.to_string())?;
        doc.commit_with(
            CommitOptions::default()
                .with_message(format!("import:{}", p.user_id))
                .with_time(chrono::Utc::now().timestamp()),
        );
        batch.push((h.household_id.0, doc.get_changes(&[])));
        if batch.len() == 100 || i + 1 == fresh.len() {
            created += batch.len();
            crate::service::sync::store_changes(&state.db, p, std::mem::take(&mut batch))
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    Ok((created, records.len() - fresh.len()))
}
