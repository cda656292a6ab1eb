//! The §8 report workbook (`GET /exports/report.xlsx`): every table of the standard's list, one
//! sheet each, Vietnamese headings, set up for printing. Tables 1–7 and 12–13 are counted from
//! the registry's columns; tables 8–11 and 14–15 from the poor and near-poor households' records,
//! read back and counted by `shared::report`. Limited to the user's commune; the download is
//! audited.

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Datelike;
use rust_xlsxwriter::XlsxError;
use serde_json::json;
use shared::model::{Category, read_household_json};
use shared::poverty::{Params, PovertyStandard};
use shared::report::{
    ChildCount, CountTable, DeprivationRow, Listed, RESULT_CATEGORIES, StandingCount, by_cause, by_ethnicity,
    child_deprivations, deprivation_table, list_headings, member_lines, member_list_headings, target_groups,
    year_changes,
};
use shared::text::{Lang, Text};

use super::exports::{Cell, LIST_WIDTHS, XLSX, csv_bytes, download, headings, list_cells, write_table, xlsx_failed};
use super::session::Page;
use crate::service::auth::Principal;
use crate::service::db::Db;
use crate::service::http::AppState;
use crate::service::store::StoreError;
use crate::service::store::browse::{self, Filter, ListRow, Sort};
use crate::service::store::sessions::audit;

/// What the workbook shows, fetched from the registry.
struct Figures<'a> {
    /// Households per (residential group, category).
    counts: Vec<(String, Option<String>, i64)>,
    /// Whether the commune is urban (`area.urban`, set by the commune's type), if known.
    urban: Option<bool>,
    /// Households by last year's and this year's standing.
    standings: Vec<StandingCount>,
    /// Tables 4–7.
    deprivation: Vec<DeprivationRow>,
    /// Tables 12–13: the poor, then the near-poor households.
    lists: [(Category, Vec<ListRow>); 2],
    /// The same households read from their records, in the same order.
    listed: Vec<Listed<'a>>,
    /// The thresholds named in the headings (the default standard's).
    params: &'a Params,
}

/// Every table of §8 for `p`'s commune.
pub async fn report_sheets(db: &Db, p: &Principal, only: Option<&str>) -> Result<Vec<Sheet>, StoreError> {
    // One table (a CSV download) reads only what that table needs.
    let needs = |keys: &[&str]| only.is_none_or(|o| keys.contains(&o));
    let standards = PovertyStandard::builtin();
    let standard = PovertyStandard::default_for_year(crate::service::clock::today_in_vietnam().year());
    let counts = if needs(&["1", "4-7"]) { browse::group_category_counts(db, p).await? } else { Vec::new() };
    let total_of = |c: &str| counts.iter().filter(|(_, k, _)| k.as_deref() == Some(c)).map(|(_, _, n)| n).sum::<i64>();
    let names: Vec<(u8, Text)> = standard.indicators.iter().map(|i| (i.number, i.name.clone())).collect();
    let deprivation = if needs(&["4-7"]) {
        deprivation_table(
            &names,
            &browse::deprivation_counts(db, p, "poor").await?,
            total_of("poor"),
            &browse::deprivation_counts(db, p, "near_poor").await?,
            total_of("near_poor"),
        )
    } else {
        Vec::new()
    };
    let list = async |c: Category, key: &str| -> Result<Vec<ListRow>, StoreError> {
        if !needs(&[key]) {
            return Ok(Vec::new());
        }
        browse::all_households(
            db,
            p,
            &Filter { category: Some(c.as_code().to_owned()), ..Filter::default() },
            Sort::Group,
        )
        .await
    };
    let figures = Figures {
        standings: if needs(&["2-3"]) { browse::standing_counts(db, p).await? } else { Vec::new() },
        deprivation,
        lists: [
            (Category::Poor, list(Category::Poor, "12").await?),
            (Category::NearPoor, list(Category::NearPoor, "13").await?),
        ],
        listed: if needs(&["8", "9", "10", "11", "14", "15"]) { listed(db, p, &standards).await? } else { Vec::new() },
        params: &standard.params,
        urban: if needs(&["1"]) { browse::commune_is_urban(db, &p.commune).await? } else { None },
        counts,
    };
    let mut sheets = sheets(&figures);
    if let Some(key) = only {
        sheets.retain(|s| s.key == key);
    }
    Ok(sheets)
}

/// Every table of §8 for `p`'s commune, as an XLSX workbook.
pub async fn report_workbook(db: &Db, p: &Principal) -> Result<Result<Vec<u8>, XlsxError>, StoreError> {
    Ok(workbook(&report_sheets(db, p, None).await?))
}

/// The poor and near-poor households read back from their records (the dictionary's JSON form),
/// in the lists' order, each with the thresholds of the standard it was classified under.
async fn listed<'a>(db: &Db, p: &Principal, standards: &'a [PovertyStandard]) -> Result<Vec<Listed<'a>>, StoreError> {
    browse::listed_records(db, p)
        .await?
        .into_iter()
        .map(|r| {
            // A row has a category only if its record was read, validated and classified.
            let corrupt = |why: &str| StoreError::CorruptDocument(r.id.clone(), why.to_owned());
            let category = Category::from_code(&r.category).ok_or_else(|| corrupt("unknown category"))?;
            let standard = standards
                .iter()
                .find(|s| Some(s.id.as_str()) == r.standard.as_deref())
                .ok_or_else(|| corrupt("unknown standard"))?;
            let household = read_household_json(&r.record_json).0.ok_or_else(|| corrupt("unreadable record"))?;
            Ok(Listed { category, household, params: &standard.params })
        })
        .collect()
}

/// One report table as every export writes it: sheet name, title, headings, rows, column
/// widths (XLSX), and the key of its CSV download (`/exports/report/{key}.csv`).
pub struct Sheet {
    /// The table's number(s) in §8: `1`, `2-3`, …, `15`.
    pub key: &'static str,
    /// The worksheet's name (≤ 31 characters).
    pub name: &'static str,
    /// The title printed above the table.
    pub title: String,
    /// Column headings, Vietnamese.
    pub heads: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
    /// Column widths in characters.
    pub widths: Vec<f64>,
}

impl Sheet {
    fn new(key: &'static str, name: &'static str, title: &str, heads: Vec<String>) -> Sheet {
        Sheet { key, name, title: title.to_owned(), heads, rows: Vec::new(), widths: Vec::new() }
    }

    fn rows(mut self, rows: Vec<Vec<Cell>>) -> Sheet {
        self.rows = rows;
        self
    }

    fn widths(mut self, widths: &[f64]) -> Sheet {
        self.widths = widths.to_vec();
        self
    }
}

/// Every table of §8, in the standard's order.
fn sheets(f: &Figures<'_>) -> Vec<Sheet> {
    let mut out = vec![table_1(&f.counts, f.urban), tables_2_3(&f.standings), tables_4_7(&f.deprivation)];
    out.push(count_sheet(
        ("8", "Biểu 8 - Nhóm đối tượng", "Biểu 8. Hộ nghèo, hộ cận nghèo theo nhóm đối tượng"),
        "Nhóm đối tượng",
        &target_groups(&f.listed),
    ));
    out.push(count_sheet(
        ("9", "Biểu 9 - Dân tộc", "Biểu 9. Hộ nghèo, hộ cận nghèo theo dân tộc của chủ hộ"),
        "Dân tộc của chủ hộ",
        &by_ethnicity(&f.listed),
    ));
    out.push(count_sheet(
        ("10", "Biểu 10 - Nguyên nhân nghèo", "Biểu 10. Hộ nghèo, hộ cận nghèo theo nguyên nhân nghèo"),
        "Nguyên nhân nghèo (một hộ có thể nêu nhiều nguyên nhân)",
        &by_cause(&f.listed),
    ));
    out.push(table_11(&f.listed, f.params));
    for (c, list) in &f.lists {
        let (key, name, title) = match c {
            Category::Poor => ("12", "Biểu 12 - DS hộ nghèo", "Biểu 12. Danh sách hộ nghèo"),
            _ => ("13", "Biểu 13 - DS hộ cận nghèo", "Biểu 13. Danh sách hộ cận nghèo"),
        };
        let cells: Vec<Vec<Cell>> = list.iter().enumerate().map(|(i, r)| list_cells(i, r)).collect();
        out.push(Sheet::new(key, name, title, headings(&list_headings())).rows(cells).widths(&LIST_WIDTHS));
    }
    out.extend(detailed_lists(&f.listed));
    out
}

/// The tables as one workbook, a sheet each, set up for printing.
fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = super::exports::new_workbook();
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet.name)?;
        write_table(ws, &sheet.title, &sheet.heads, &sheet.rows, &sheet.widths)?;
    }
    wb.save_to_buffer()
}

/// A percentage to one decimal (0 when there is nothing to divide by).
fn pct(p: Option<f64>) -> Cell {
    Cell::Num(p.map_or(0.0, |p| (p * 10.0).round() / 10.0))
}

fn num(n: i64) -> Cell {
    Cell::Num(n as f64)
}

fn texts(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Table 1: results per residential group.
///
/// §8.1 counts urban and rural households apart. `urban` is a property of the commune (the
/// dictionary: "set by the commune's type"), and the registry reports one commune, so every row
/// has the commune's area type: it is named in the title and in a last column, so tables of
/// several communes can be added up by area type.
fn table_1(counts: &[(String, Option<String>, i64)], urban: Option<bool>) -> Sheet {
    let area = match urban {
        Some(true) => "Thành thị",
        Some(false) => "Nông thôn",
        None => "",
    };
    let mut groups: Vec<&str> = counts.iter().map(|(g, _, _)| g.as_str()).collect();
    groups.dedup();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for g in groups.iter().copied().map(Some).chain([None]) {
        let count = |c: Option<&str>| {
            counts
                .iter()
                .filter(|(gg, k, _)| g.is_none_or(|g| gg == g) && k.as_deref() == c)
                .map(|(_, _, n)| *n)
                .sum::<i64>()
        };
        let total: i64 = counts.iter().filter(|(gg, _, _)| g.is_none_or(|g| gg == g)).map(|(_, _, n)| *n).sum();
        let mut row = vec![Cell::Text(g.unwrap_or("Tổng cộng").to_owned()), num(total)];
        row.extend(RESULT_CATEGORIES.iter().map(|c| num(count(Some(c.as_code())))));
        row.push(num(count(None)));
        row.push(Cell::Text(area.to_owned()));
        rows.push(row);
    }
    let mut heads = texts(&["Tổ dân phố", "Tổng số hộ"]);
    heads.extend(RESULT_CATEGORIES.iter().map(|c| c.label().vi));
    heads.push("Hồ sơ chưa hợp lệ".to_owned());
    heads.push("Khu vực".to_owned());
    let title = match urban {
        Some(_) => {
            format!("Biểu 1. Kết quả rà soát hộ nghèo, hộ cận nghèo theo tổ dân phố — khu vực {}", area.to_lowercase())
        }
        None => "Biểu 1. Kết quả rà soát hộ nghèo, hộ cận nghèo theo tổ dân phố".to_owned(),
    };
    Sheet::new("1", "Biểu 1 - Kết quả", &title, heads)
        .rows(rows)
        .widths(&[16.0, 12.0, 12.0, 12.0, 16.0, 14.0, 14.0, 14.0, 12.0])
}

/// Tables 2–3: the year's changes of the poor and near-poor lists.
fn tables_2_3(standings: &[StandingCount]) -> Sheet {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for (list, name) in [(Category::Poor, "Hộ nghèo"), (Category::NearPoor, "Hộ cận nghèo")] {
        let t = year_changes(list, standings);
        let mut row = vec![Cell::Text(name.to_owned()), num(t.start)];
        for part in [t.escaped, t.worsened, t.fell_in, t.relapsed, t.improved_in, t.undetermined] {
            row.push(num(part));
            row.push(pct(t.percent_of_start(part)));
        }
        row.push(num(t.end));
        rows.push(row);
    }
    let mut heads = texts(&["Danh sách", "Đầu năm (hộ)"]);
    for part in
        ["Thoát ra", "Chuyển xuống nghèo", "Phát sinh mới", "Tái nghèo", "Từ hộ nghèo chuyển lên", "Chưa xác định"]
    {
        heads.push(format!("{part} (hộ)"));
        heads.push(format!("{part} (% đầu năm)"));
    }
    heads.push("Cuối năm (hộ)".to_owned());
    let mut widths = vec![16.0];
    widths.extend([10.0; 14]);
    Sheet::new("2-3", "Biểu 2-3 - Biến động", "Biểu 2–3. Biến động hộ nghèo, hộ cận nghèo trong năm", heads)
        .rows(rows)
        .widths(&widths)
}

/// Tables 4–7: deprivation by indicator among poor and near-poor households.
fn tables_4_7(table: &[DeprivationRow]) -> Sheet {
    let rows: Vec<Vec<Cell>> = table
        .iter()
        .map(|r| {
            vec![
                Cell::Num(f64::from(r.number)),
                Cell::Text(r.name.vi.clone()),
                num(r.poor),
                pct(r.poor_percent),
                num(r.near_poor),
                pct(r.near_poor_percent),
            ]
        })
        .collect();
    let heads = texts(&[
        "STT",
        "Chỉ số thiếu hụt",
        "Hộ nghèo thiếu hụt (hộ)",
        "Tỷ lệ trên hộ nghèo (%)",
        "Hộ cận nghèo thiếu hụt (hộ)",
        "Tỷ lệ trên hộ cận nghèo (%)",
    ]);
    Sheet::new(
        "4-7",
        "Biểu 4-7 - Thiếu hụt",
        "Biểu 4–7. Thiếu hụt các dịch vụ xã hội cơ bản của hộ nghèo, hộ cận nghèo",
        heads,
    )
    .rows(rows)
    .widths(&[6.0, 36.0, 16.0, 16.0, 16.0, 16.0])
}

/// Tables 8–10: households of each list per row, with shares of the list; the first row is the
/// lists themselves (the base of the shares).
fn count_sheet((key, name, title): (&'static str, &'static str, &str), first: &str, t: &CountTable) -> Sheet {
    let row = |label: &str, n: shared::report::PerList| {
        let (poor, near) = n.shares(t.lists);
        vec![Cell::Text(label.to_owned()), num(n.poor), pct(poor), num(n.near_poor), pct(near), num(n.total())]
    };
    let mut rows = vec![row("Tổng số hộ", t.lists)];
    rows.extend(t.rows.iter().map(|r| row(&r.label.vi, r.households)));
    let heads = texts(&[
        first,
        "Hộ nghèo (hộ)",
        "Tỷ lệ trên hộ nghèo (%)",
        "Hộ cận nghèo (hộ)",
        "Tỷ lệ trên hộ cận nghèo (%)",
        "Cộng (hộ)",
    ]);
    Sheet::new(key, name, title, heads).rows(rows).widths(&[36.0, 12.0, 14.0, 12.0, 14.0, 10.0])
}

/// Table 11: the children's deprivations, per list and in all, each judged by its indicator's
/// own rule; children whose answers are missing are counted apart, never as not deprived.
fn table_11(listed: &[Listed<'_>], p: &Params) -> Sheet {
    let counts = |c: ChildCount| [num(c.deprived), pct(c.percent()), num(c.unknown)];
    let rows: Vec<Vec<Cell>> =
        [(Some(Category::Poor), "Hộ nghèo"), (Some(Category::NearPoor), "Hộ cận nghèo"), (None, "Tổng cộng")]
            .into_iter()
            .map(|(list, name)| {
                let t = child_deprivations(listed, list);
                let mut row = vec![Cell::Text(name.to_owned()), num(t.children), num(t.insurance.applies)];
                row.extend(counts(t.insurance));
                row.extend(counts(t.nutrition));
                row.push(num(t.schooling.applies));
                row.extend(counts(t.schooling));
                row
            })
            .collect();
    let heads = vec![
        "Trẻ em của".to_owned(),
        format!("Số trẻ em dưới {} tuổi", p.child_below_years),
        format!("Trẻ từ {} tuổi", p.insurance_min_years),
        "Không có thẻ BHYT (trẻ)".to_owned(),
        "Tỷ lệ không có thẻ BHYT (%)".to_owned(),
        "Chưa rõ thẻ BHYT (trẻ)".to_owned(),
        "Suy dinh dưỡng: thấp còi hoặc nhẹ cân (trẻ)".to_owned(),
        "Tỷ lệ suy dinh dưỡng (%)".to_owned(),
        "Chưa rõ dinh dưỡng (trẻ)".to_owned(),
        format!("Trẻ {}–{} tuổi", p.school_min_years, p.child_below_years.saturating_sub(1)),
        "Không đi học đúng cấp (trẻ)".to_owned(),
        "Tỷ lệ không đi học đúng cấp (%)".to_owned(),
        "Chưa rõ đi học (trẻ)".to_owned(),
    ];
    let mut widths = vec![16.0];
    widths.extend([12.0; 12]);
    Sheet::new(
        "11",
        "Biểu 11 - Trẻ em",
        "Biểu 11. Thiếu hụt của trẻ em thuộc hộ nghèo, hộ cận nghèo (bảo hiểm y tế, dinh dưỡng, đi học)",
        heads,
    )
    .rows(rows)
    .widths(&widths)
}

/// Tables 14–15: the detailed lists, one line per member under their household.
fn detailed_lists(listed: &[Listed<'_>]) -> Vec<Sheet> {
    let heads = headings(&member_list_headings());
    let widths =
        [6.0, 12.0, 22.0, 28.0, 10.0, 4.0, 22.0, 14.0, 7.0, 12.0, 6.0, 10.0, 14.0, 20.0, 14.0, 9.0, 9.0, 16.0, 9.0];
    let mut out = Vec::new();
    for (c, key, name, title) in [
        (Category::Poor, "14", "Biểu 14 - Chi tiết hộ nghèo", "Biểu 14. Danh sách chi tiết hộ nghèo và thành viên"),
        (
            Category::NearPoor,
            "15",
            "Biểu 15 - Chi tiết hộ cận nghèo",
            "Biểu 15. Danh sách chi tiết hộ cận nghèo và thành viên",
        ),
    ] {
        let rows: Vec<Vec<Cell>> = member_lines(listed, c, Lang::Vi)
            .into_iter()
            .map(|line| {
                let mut row = match line.household {
                    Some(h) => vec![
                        Cell::Num(h.number as f64),
                        Cell::Text(h.code),
                        Cell::Text(h.head),
                        Cell::Text(h.address),
                        Cell::Text(h.group),
                    ],
                    None => vec![Cell::Text(String::new()); 5],
                };
                row.push(Cell::Num(line.member_number as f64));
                row.extend(line.cells.into_iter().map(Cell::Text));
                row
            })
            .collect();
        out.push(Sheet::new(key, name, title, heads.clone()).rows(rows).widths(&widths));
    }
    out
}

/// `GET /exports/report.xlsx`.
pub async fn report_xlsx(State(state): State<AppState>, pg: Page) -> Response {
    let p = &pg.user.principal;
    let _ = audit(&state.db, Some(&p.user_id), "export", None, &json!({"kind": "report.xlsx"})).await;
    match report_workbook(&state.db, p).await {
        Ok(Ok(bytes)) => download(bytes, XLSX, "bao-cao-ra-soat.xlsx"),
        Ok(Err(e)) => xlsx_failed(e),
        Err(e) => super::internal(e),
    }
}

/// `GET /exports/report/{key}.csv`: one table of §8 as CSV (`1`, `2-3`, `4-7`, `8` … `15`).
pub async fn report_csv(State(state): State<AppState>, pg: Page, Path(file): Path<String>) -> Response {
    let p = &pg.user.principal;
    let Some(key) = file.strip_suffix(".csv") else { return super::not_found(&pg.ctx) };
    if !REPORT_KEYS.contains(&key) {
        return super::not_found(&pg.ctx);
    }
    let _ = audit(&state.db, Some(&p.user_id), "export", None, &json!({"kind": "report.csv", "table": key})).await;
    match report_sheets(&state.db, p, Some(key)).await {
        Ok(sheets) => match sheets.first() {
            Some(sheet) => {
                download(csv_bytes(&sheet.heads, &sheet.rows), "text/csv; charset=utf-8", &format!("bieu-{key}.csv"))
            }
            None => super::not_found(&pg.ctx),
        },
        Err(e) => super::internal(e),
    }
}

/// The keys of the report's tables, in order (the exports page links each).
pub const REPORT_KEYS: [&str; 11] = ["1", "2-3", "4-7", "8", "9", "10", "11", "12", "13", "14", "15"];
