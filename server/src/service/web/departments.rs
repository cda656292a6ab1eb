//! Department action lists: for each indicator, the households deprived on it (the reason
//! names the members concerned), grouped under the ward unit responsible for it (standard §4,
//! the ward plan's assignment as the standard carries it).

use axum::extract::{Query, State};
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use shared::plan::department_of;
use shared::poverty::PovertyStandard;
use shared::text::Lang;

use super::i18n::t;
use super::layout::{category_badge, html_response, number, page};
use super::session::Page;
use crate::service::http::AppState;
use crate::service::store::browse;

/// At most this many households are listed on screen; the exports have them all.
const SHOWN: i64 = 500;

/// `?indicator=N`.
#[derive(Debug, Deserialize, Default)]
pub struct DeptQuery {
    indicator: Option<i64>,
}

/// `GET /departments`.
pub async fn show(State(state): State<AppState>, pg: Page, Query(q): Query<DeptQuery>) -> Response {
    let p = &pg.user.principal;
    let ctx = &pg.ctx;
    let lang = ctx.lang;
    let standard = PovertyStandard::default_for_year(2026);
    let counts = match browse::deprived_by_indicator(&state.db, p).await {
        Ok(c) => c,
        Err(e) => return super::internal(e),
    };
    let settings = match crate::service::store::settings::settings(&state.db, &p.commune).await {
        Ok(s) => s,
        Err(e) => return super::internal(e),
    };
    let department =
        |i: &shared::poverty::IndicatorSpec| department_of(&settings, i.number, &i.department).get(lang).to_owned();
    let mut departments: Vec<String> = Vec::new();
    for i in &standard.indicators {
        let d = department(i);
        if !departments.contains(&d) {
            departments.push(d);
        }
    }
    let selected = q.indicator.filter(|n| (1..=12).contains(n));
    let list = match selected {
        Some(n) => match browse::deprived_on(&state.db, p, n, SHOWN).await {
            Ok(rows) => Some((n, rows)),
            Err(e) => return super::internal(e),
        },
        None => None,
    };
    let body = html! {
        div.grid2 {
            @for d in &departments {
                section.card {
                    h2 { (d) }
                    table { tbody {
                        @for i in standard.indicators.iter().filter(|i| department(i) == *d) {
                            @let n = counts.iter().find(|(num, _)| *num == i64::from(i.number)).map_or(0, |(_, n)| *n);
                            tr {
                                td { a href={"/departments?indicator=" (i.number)} { (i.number) ". " (i.name.get(lang)) } }
                                td.num { (number(lang, n)) }
                            }
                        }
                    } }
                }
            }
        }
        (super::settings::departments_form(ctx, &standard, &settings))
        @if let Some((n, rows)) = &list {
            section.card #department-list {
                @let spec = standard.indicators.iter().find(|i| i64::from(i.number) == *n);
                @let total = counts.iter().find(|(num, _)| num == n).map_or(0, |(_, c)| *c);
                h2 { (n) ". " (spec.map_or("", |s| s.name.get(lang))) " — " (spec.map(&department).unwrap_or_default()) " (" (number(lang, total)) ")" }
                @if total > SHOWN { p.muted { (t(lang, "showing")) " " (number(lang, SHOWN)) " " (t(lang, "of")) " " (number(lang, total)) " — XLSX / CSV" } }
                p.noprint { a href={"/exports/department.xlsx?indicator=" (n)} { "XLSX" } " · " a href={"/exports/households.csv?indicator=" (n)} { "CSV" } }
                div.scroll { table {
                    thead { tr { th { (t(lang, "code")) } th { (t(lang, "head")) } th { (t(lang, "group")) } th { (t(lang, "category")) } th { (t(lang, "reason")) } } }
                    tbody { @for r in rows {
                        tr {
                            td { (r.code.as_deref().unwrap_or("—")) }
                            td { a href={"/households/" (r.id)} { (r.head_name) } div.muted { (r.address) } }
                            td { (r.group) }
                            td { (category_badge(lang, r.category.as_deref())) }
                            td { (if lang == Lang::Vi { &r.reason_vi } else { &r.reason_en }) }
                        }
                    } }
                } }
            }
        }
    };
    html_response(page(ctx, t(lang, "departments"), "departments", body))
}
