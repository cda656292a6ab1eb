//! Exports: the household list (current filters) as XLSX and CSV, a department's action list,
//! and the whole registry as JSON Lines in the dictionary's form; the XLSX table writer the §8
//! report workbook ([`super::report`]) shares. Every export is limited to the user's commune and
//! audited.

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maud::html;
use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet, XlsxError};
use serde_json::json;
use shared::model::Category;
use shared::report::list_headings;
use shared::text::{Lang, Text};

use super::households::{ListQuery, indicator_names};
use super::i18n::t;
use super::layout::{category_label, html_response, review_label};
use super::session::Page;
use crate::service::auth::Principal;
use crate::service::http::AppState;
use crate::service::store::browse::{self, ListRow};
use crate::service::store::sessions::audit;

/// `GET /exports`.
pub async fn page(pg: Page) -> Response {
    let ctx = &pg.ctx;
    let lang = ctx.lang;
    let body = html! {
        section.card {
            ul {
                li { a href="/exports/report.xlsx" { (t(lang, "export_report")) } " (XLSX) · CSV: "
                    @for (i, key) in super::report::REPORT_KEYS.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href={"/exports/report/" (key) ".csv"} { (t(lang, "table")) " " (key) }
                    }
                }
                li { (t(lang, "export_list")) ": " a href="/exports/households.xlsx" { "XLSX" } " · " a href="/exports/households.csv" { "CSV" } }
                li { a href="/exports/registry.jsonl" { (t(lang, "export_jsonl")) } }
                @for c in [Category::Poor, Category::NearPoor] {
                    li { (c.label().get(lang)) ": "
                        a href={"/exports/households.xlsx?category=" (c.as_code())} { "XLSX" } " · "
                        a href={"/exports/households.csv?category=" (c.as_code())} { "CSV" } }
                }
            }
        }
    };
    html_response(super::layout::page(ctx, t(lang, "exports"), "exports", body))
}

pub(super) fn download(body: impl Into<Body>, content_type: &'static str, filename: &str) -> Response {
    let mut res = body.into().into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

pub(super) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One household list row as the exports write it (Vietnamese labels).
pub(super) fn list_cells(i: usize, r: &ListRow) -> Vec<Cell> {
    vec![
        Cell::Num((i + 1) as f64),
        Cell::Text(r.code.clone().unwrap_or_default()),
        Cell::Text(r.head_name.clone()),
        Cell::Text(r.address.clone()),
        Cell::Text(r.group.clone()),
        Cell::Num(r.member_count as f64),
        Cell::Text(category_label(Lang::Vi, r.category.as_deref())),
        r.deprived_count.map_or(Cell::Text(String::new()), |d| Cell::Num(d as f64)),
        Cell::Text(r.previous_category.as_deref().map(|c| category_label(Lang::Vi, Some(c))).unwrap_or_default()),
        Cell::Text(review_label(Lang::Vi, &r.review_status)),
    ]
}

/// A cell to write.
#[derive(Debug, Clone)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A number.
    Num(f64),
}

impl Cell {
    /// The cell as CSV text: numbers unformatted (`12`, `33.3`).
    pub fn csv_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Num(n) => format!("{n}"),
        }
    }
}

/// Writes a titled, bordered table with a bold heading row repeated on every printed page.
pub(super) fn write_table(
    ws: &mut Worksheet,
    title: &str,
    headings: &[String],
    rows: &[Vec<Cell>],
    widths: &[f64],
) -> Result<(), XlsxError> {
    let title_fmt = Format::new().set_bold().set_font_size(14);
    let head = Format::new().set_bold().set_text_wrap().set_border(FormatBorder::Thin).set_background_color(0xEEF1F5);
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let number = Format::new().set_border(FormatBorder::Thin).set_num_format("#,##0");
    ws.write_string_with_format(0, 0, title, &title_fmt)?;
    for (c, h) in headings.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, h, &head)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 3, c as u16);
            match v {
                Cell::Text(s) => ws.write_string_with_format(r, c, s, &cell)?,
                Cell::Num(n) => ws.write_number_with_format(r, c, *n, &number)?,
            };
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(3, 0)?;
    ws.set_repeat_rows(2, 2)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// A workbook for an export. Zip level 3 instead of the default 6: `perf` showed deflate's
/// match search as the largest cost of a big export; on the report of a 100,000-household
/// commune level 3 is 1.34× faster for a file 1.17× larger (level 1: 1.4× faster, 1.84×
/// larger — too much for a ward's mobile connection). BENCHMARKS.md has the runs.
pub(super) fn new_workbook() -> Workbook {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(3);
    wb
}

pub(super) const LIST_WIDTHS: [f64; 10] = [6.0, 12.0, 26.0, 34.0, 12.0, 10.0, 18.0, 12.0, 18.0, 22.0];

pub(super) fn headings(texts: &[Text]) -> Vec<String> {
    texts.iter().map(|t| t.vi.clone()).collect()
}

/// The households list as an XLSX workbook (one sheet).
pub fn households_workbook(rows: &[ListRow], title: &str) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Danh sách hộ")?;
    let cells: Vec<Vec<Cell>> = rows.iter().enumerate().map(|(i, r)| list_cells(i, r)).collect();
    write_table(ws, title, &headings(&list_headings()), &cells, &LIST_WIDTHS)?;
    wb.save_to_buffer()
}

fn list_title(q: &ListQuery) -> String {
    let f = q.filter();
    let mut title = "Danh sách hộ".to_owned();
    if let Some(c) = f.category.as_deref().and_then(Category::from_code) {
        title = format!("Danh sách {}", c.label().vi.to_lowercase());
    }
    if let Some(n) = f.indicator {
        let name =
            indicator_names(Lang::Vi).into_iter().find(|(m, _)| i64::from(*m) == n).map(|(_, s)| s).unwrap_or_default();
        title.push_str(&format!(" thiếu hụt chỉ số {n}. {name}"));
    }
    if let Some(g) = f.group {
        title.push_str(&format!(", tổ {g}"));
    }
    title
}

/// The households of the list's filter, the export recorded in the audit log as `kind`.
async fn export_rows(state: &AppState, p: &Principal, q: &ListQuery, kind: &str) -> Result<Vec<ListRow>, Response> {
    let rows = browse::all_households(&state.db, p, &q.filter(), q.sort()).await.map_err(super::internal)?;
    let _ = audit(
        &state.db,
        Some(&p.user_id),
        "export",
        None,
        &json!({"kind": kind, "filters": q.to_query(), "rows": rows.len()}),
    )
    .await;
    Ok(rows)
}

/// `GET /exports/households.xlsx?<list filters>`.
pub async fn households_xlsx(State(state): State<AppState>, pg: Page, Query(q): Query<ListQuery>) -> Response {
    let rows = match export_rows(&state, &pg.user.principal, &q, "households.xlsx").await {
        Ok(r) => r,
        Err(response) => return response,
    };
    match households_workbook(&rows, &list_title(&q)) {
        Ok(bytes) => download(bytes, XLSX, "danh-sach-ho.xlsx"),
        Err(e) => xlsx_failed(e),
    }
}

pub(super) fn xlsx_failed(e: XlsxError) -> Response {
    tracing::error!(error = %e, "xlsx export failed");
    crate::service::http::Error::BadRequest("export failed".into()).into_response()
}

/// `GET /exports/households.csv?<list filters>`: UTF-8 with a byte-order mark, so spreadsheet
/// programs read the Vietnamese correctly.
pub async fn households_csv(State(state): State<AppState>, pg: Page, Query(q): Query<ListQuery>) -> Response {
    let rows = match export_rows(&state, &pg.user.principal, &q, "households.csv").await {
        Ok(r) => r,
        Err(response) => return response,
    };
    let cells = rows.iter().enumerate().map(|(i, r)| list_cells(i, r));
    download(csv_bytes(&headings(&list_headings()), cells), "text/csv; charset=utf-8", "danh-sach-ho.csv")
}

/// A table as CSV: UTF-8 with a byte-order mark (spreadsheet programs then read the
/// Vietnamese), the headings, then the rows; numbers unformatted.
pub(super) fn csv_bytes<R: AsRef<[Cell]>>(heads: &[String], rows: impl IntoIterator<Item = R>) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let _ = w.write_record(heads);
        for row in rows {
            let _ = w.write_record(row.as_ref().iter().map(Cell::csv_text));
        }
        let _ = w.flush();
    }
    out
}

/// `GET /exports/registry.jsonl`: every household's record in the dictionary's JSON form, one
/// per line, in id order — streamed a page of records at a time, so a province's registry
/// never sits whole in memory. A database failure mid-way ends the body early (the client
/// sees a broken download, never a silently short file that looks complete).
pub async fn registry_jsonl(State(state): State<AppState>, pg: Page) -> Response {
    let p = pg.user.principal.clone();
    let _ = audit(&state.db, Some(&p.user_id), "export", None, &json!({"kind": "registry.jsonl"})).await;
    let db = state.db.clone();
    let pages = futures_util::stream::try_unfold(Some(String::new()), move |after| {
        let (db, p) = (db.clone(), p.clone());
        async move {
            let Some(after) = after else { return Ok(None) };
            let page = browse::records_after(&db, &p, &after, JSONL_PAGE).await.inspect_err(|e| {
                tracing::error!(error = %e, "registry export failed mid-way");
            })?;
            let Some((last, _)) = page.last() else { return Ok(None) };
            let next = (page.len() as i64 == JSONL_PAGE).then(|| last.clone());
            let mut chunk = Vec::with_capacity(page.iter().map(|(_, r)| r.len() + 1).sum());
            for (_, record) in &page {
                chunk.extend_from_slice(record.as_bytes());
                chunk.push(b'\n');
            }
            Ok::<_, crate::service::store::StoreError>(Some((axum::body::Bytes::from(chunk), next)))
        }
    });
    download(Body::from_stream(pages), "application/x-ndjson; charset=utf-8", "so-ho.jsonl")
}

/// Records per page of the JSON Lines export.
const JSONL_PAGE: i64 = 100;

/// `?indicator=N`.
#[derive(Debug, serde::Deserialize)]
pub struct IndicatorQuery {
    indicator: i64,
}

/// `GET /exports/department.xlsx?indicator=N`: a department's action list — the households
/// deprived on indicator N with the reason naming the members concerned.
pub async fn department_xlsx(State(state): State<AppState>, pg: Page, Query(q): Query<IndicatorQuery>) -> Response {
    let p = &pg.user.principal;
    if !(1..=12).contains(&q.indicator) {
        return super::not_found(&pg.ctx);
    }
    let rows = match browse::deprived_on(&state.db, p, q.indicator, i64::MAX).await {
        Ok(r) => r,
        Err(e) => return super::internal(e),
    };
    let settings = match crate::service::store::settings::settings(&state.db, &p.commune).await {
        Ok(s) => s,
        Err(e) => return super::internal(e),
    };
    let standard = shared::poverty::PovertyStandard::default_for_year(2026);
    let Some(spec) = standard.indicators.iter().find(|i| i64::from(i.number) == q.indicator) else {
        return super::not_found(&pg.ctx);
    };
    let department = shared::plan::department_of(&settings, spec.number, &spec.department);
    let title = format!("Danh sách hộ thiếu hụt chỉ số {}. {} — {}", spec.number, spec.name.vi, department.vi);
    let heads: Vec<String> =
        ["STT", "Mã hộ", "Họ tên chủ hộ", "Địa chỉ", "Tổ dân phố", "Phân loại", "Lý do (thành viên thiếu hụt)"]
            .map(str::to_owned)
            .to_vec();
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                Cell::Num((i + 1) as f64),
                Cell::Text(r.code.clone().unwrap_or_default()),
                Cell::Text(r.head_name.clone()),
                Cell::Text(r.address.clone()),
                Cell::Text(r.group.clone()),
                Cell::Text(category_label(Lang::Vi, r.category.as_deref())),
                Cell::Text(r.reason_vi.clone()),
            ]
        })
        .collect();
    let _ = audit(
        &state.db,
        Some(&p.user_id),
        "export",
        None,
        &json!({"kind": "department.xlsx", "indicator": q.indicator, "rows": rows.len()}),
    )
    .await;
    let book = (|| {
        let mut wb = new_workbook();
        let ws = wb.add_worksheet();
        ws.set_name(format!("Chỉ số {}", spec.number))?;
        write_table(ws, &title, &heads, &cells, &[6.0, 12.0, 24.0, 30.0, 12.0, 16.0, 60.0])?;
        wb.save_to_buffer()
    })();
    match book {
        Ok(bytes) => download(bytes, XLSX, &format!("chi-so-{}.xlsx", spec.number)),
        Err(e) => xlsx_failed(e),
    }
}
