//! The §8 report workbook (`GET /exports/report.xlsx`): every table of the standard's list,
//! one sheet each, Vietnamese headings, set up for printing. The figures come from `shared::report`
//! over the registry, limited to the user's commune; the download is audited.

use axum::extract::State;
use axum::response::Response;
use rust_xlsxwriter::{Workbook, XlsxError};
use serde_json::json;
use shared::model::Category;
use shared::report::{RESULT_CATEGORIES, deprivation_table, list_headings, year_changes};
use shared::text::Text;

use super::exports::{Cell, LIST_WIDTHS, XLSX, download, headings, list_cells, write_table, xlsx_failed};
use super::session::Page;
use crate::auth::Principal;
use crate::db::Db;
use crate::http::AppState;
use crate::store::StoreError;
use crate::store::browse::{self, Filter, Sort};
use crate::store::sessions::audit;

/// The report tables of §8 the registry can fill: results per residential group (1), the
/// year's changes of the poor and near-poor lists (2–3), deprivation by indicator among poor and near-poor households (4–7), and the summary lists
/// of poor and near-poor households (12–13).
pub async fn report_workbook(db: &Db, p: &Principal) -> Result<Result<Vec<u8>, XlsxError>, StoreError> {
    let counts = browse::group_category_counts(db, p).await?;
    let standings = browse::standing_counts(db, p).await?;
    let poor_dep = browse::deprivation_counts(db, p, "poor").await?;
    let near_dep = browse::deprivation_counts(db, p, "near_poor").await?;
    let total_of = |c: &str| counts.iter().filter(|(_, k, _)| k.as_deref() == Some(c)).map(|(_, _, n)| n).sum::<i64>();
    let lists = [
        (
            Category::Poor,
            browse::all_households(db, p, &Filter { category: Some("poor".into()), ..Filter::default() }, Sort::Group)
                .await?,
        ),
        (
            Category::NearPoor,
            browse::all_households(
                db,
                p,
                &Filter { category: Some("near_poor".into()), ..Filter::default() },
                Sort::Group,
            )
            .await?,
        ),
    ];
    let names: Vec<(u8, Text)> = shared::poverty::PovertyStandard::default_for_year(2026)
        .indicators
        .iter()
        .map(|i| (i.number, i.name.clone()))
        .collect();
    let table47 = deprivation_table(&names, &poor_dep, total_of("poor"), &near_dep, total_of("near_poor"));
    Ok((|| {
        let mut wb = Workbook::new();
        // Table 1.
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
            let mut row = vec![Cell::Text(g.unwrap_or("Tổng cộng").to_owned()), Cell::Num(total as f64)];
            row.extend(RESULT_CATEGORIES.iter().map(|c| Cell::Num(count(Some(c.as_code())) as f64)));
            row.push(Cell::Num(count(None) as f64));
            rows.push(row);
        }
        let mut heads = vec!["Tổ dân phố".to_owned(), "Tổng số hộ".to_owned()];
        heads.extend(RESULT_CATEGORIES.iter().map(|c| c.label().vi));
        heads.push("Hồ sơ chưa hợp lệ".to_owned());
        let ws = wb.add_worksheet();
        ws.set_name("Biểu 1 - Kết quả")?;
        write_table(
            ws,
            "Biểu 1. Kết quả rà soát hộ nghèo, hộ cận nghèo theo tổ dân phố",
            &heads,
            &rows,
            &[16.0, 12.0, 12.0, 12.0, 16.0, 14.0, 14.0, 14.0],
        )?;
        let pct = |p: Option<f64>| Cell::Num(p.map_or(0.0, |p| (p * 10.0).round() / 10.0));
        // Tables 2–3.
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        for (list, name) in [(Category::Poor, "Hộ nghèo"), (Category::NearPoor, "Hộ cận nghèo")] {
            let t = year_changes(list, &standings);
            let mut row = vec![Cell::Text(name.to_owned()), Cell::Num(t.start as f64)];
            for part in [t.escaped, t.worsened, t.fell_in, t.relapsed, t.improved_in, t.undetermined] {
                row.push(Cell::Num(part as f64));
                row.push(pct(t.percent_of_start(part)));
            }
            row.push(Cell::Num(t.end as f64));
            rows.push(row);
        }
        let mut heads = vec!["Danh sách".to_owned(), "Đầu năm (hộ)".to_owned()];
        for part in
            ["Thoát ra", "Chuyển xuống nghèo", "Phát sinh mới", "Tái nghèo", "Từ hộ nghèo chuyển lên", "Chưa xác định"]
        {
            heads.push(format!("{part} (hộ)"));
            heads.push(format!("{part} (% đầu năm)"));
        }
        heads.push("Cuối năm (hộ)".to_owned());
        let ws = wb.add_worksheet();
        ws.set_name("Biểu 2-3 - Biến động")?;
        write_table(
            ws,
            "Biểu 2–3. Biến động hộ nghèo, hộ cận nghèo trong năm",
            &heads,
            &rows,
            &[16.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0],
        )?;
        // Tables 4–7.
        let rows: Vec<Vec<Cell>> = table47
            .iter()
            .map(|r| {
                vec![
                    Cell::Num(f64::from(r.number)),
                    Cell::Text(r.name.vi.clone()),
                    Cell::Num(r.poor as f64),
                    pct(r.poor_percent),
                    Cell::Num(r.near_poor as f64),
                    pct(r.near_poor_percent),
                ]
            })
            .collect();
        let heads: Vec<String> = [
            "STT",
            "Chỉ số thiếu hụt",
            "Hộ nghèo thiếu hụt (hộ)",
            "Tỷ lệ trên hộ nghèo (%)",
            "Hộ cận nghèo thiếu hụt (hộ)",
            "Tỷ lệ trên hộ cận nghèo (%)",
        ]
        .map(str::to_owned)
        .to_vec();
        let ws = wb.add_worksheet();
        ws.set_name("Biểu 4-7 - Thiếu hụt")?;
        write_table(
            ws,
            "Biểu 4–7. Thiếu hụt các dịch vụ xã hội cơ bản của hộ nghèo, hộ cận nghèo",
            &heads,
            &rows,
            &[6.0, 36.0, 16.0, 16.0, 16.0, 16.0],
        )?;
        // Tables 12–13.
        for (c, list) in &lists {
            let ws = wb.add_worksheet();
            let (sheet, title) = match c {
                Category::Poor => ("Biểu 12 - DS hộ nghèo", "Biểu 12. Danh sách hộ nghèo"),
                _ => ("Biểu 13 - DS hộ cận nghèo", "Biểu 13. Danh sách hộ cận nghèo"),
            };
            ws.set_name(sheet)?;
            let cells: Vec<Vec<Cell>> = list.iter().enumerate().map(|(i, r)| list_cells(i, r)).collect();
            write_table(ws, title, &headings(&list_headings()), &cells, &LIST_WIDTHS)?;
        }
        wb.save_to_buffer()
    })())
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
