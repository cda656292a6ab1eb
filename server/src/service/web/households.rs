//! The household list: filters (group, category, indicator deprived, review status, conflicts,
//! changed since last year), diacritics-insensitive search, sorting and paging — one query for
//! the page and one for the count, both limited to the user's commune.

use axum::extract::{Query, State};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;
use shared::model::Category;
use shared::review::ReviewStatus;
use shared::text::Lang;

use super::i18n::t;
use super::layout::{Ctx, category_badge, html_response, number, page, review_label};
use super::session::{Page, urlencode};
use crate::service::http::AppState;
use crate::service::store::browse::{self, Filter, ListRow, Sort};

/// Rows per page.
pub const PAGE_SIZE: i64 = 50;

/// The list's query string (also used by the exports, so an export is what the list shows).
#[derive(Debug, Deserialize, Default, Clone)]
pub struct ListQuery {
    /// Group.
    pub group: Option<String>,
    /// Category code.
    pub category: Option<String>,
    /// Indicator number.
    pub indicator: Option<String>,
    /// Review status code.
    pub review: Option<String>,
    /// "1": only with conflicts.
    pub conflicts: Option<String>,
    /// "1": only changed since last year.
    pub changed: Option<String>,
    /// Search text.
    pub q: Option<String>,
    /// Sort code.
    pub sort: Option<String>,
    /// Page, from 1.
    pub page: Option<String>,
}

fn some(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl ListQuery {
    /// The store's filter; unknown codes are ignored rather than matched against.
    pub fn filter(&self) -> Filter {
        Filter {
            group: some(&self.group),
            category: some(&self.category).filter(|c| Category::from_code(c).is_some()),
            indicator: some(&self.indicator).and_then(|n| n.parse().ok()).filter(|n| (1..=12).contains(n)),
            review: some(&self.review).filter(|r| ReviewStatus::from_code(r).is_some()),
            conflicts: some(&self.conflicts).is_some(),
            changed: some(&self.changed).is_some(),
            q: some(&self.q).map(|q| q.chars().take(100).collect()),
        }
    }

    /// Sort order.
    pub fn sort(&self) -> Sort {
        Sort::from_code(self.sort.as_deref().unwrap_or_default())
    }

    fn page(&self) -> i64 {
        some(&self.page).and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1)
    }

    /// The query string without the page (for links to other pages and exports).
    pub fn to_query(&self) -> String {
        let pairs = [
            ("group", &self.group),
            ("category", &self.category),
            ("indicator", &self.indicator),
            ("review", &self.review),
            ("conflicts", &self.conflicts),
            ("changed", &self.changed),
            ("q", &self.q),
            ("sort", &self.sort),
        ];
        pairs
            .iter()
            .filter_map(|(k, v)| some(v).map(|v| format!("{k}={}", urlencode(&v))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// The twelve indicators' numbers and names (standard §4), from the standard in force.
pub fn indicator_names(lang: Lang) -> Vec<(u8, String)> {
    shared::poverty::PovertyStandard::default_for_year(2026)
        .indicators
        .iter()
        .map(|i| (i.number, i.name.get(lang).to_owned()))
        .collect()
}

/// `GET /households`.
pub async fn list(State(state): State<AppState>, page_: Page, Query(q): Query<ListQuery>) -> Response {
    let p = &page_.user.principal;
    let filter = q.filter();
    let current = q.page();
    let listed = browse::list_households(&state.db, p, &filter, q.sort(), (current - 1) * PAGE_SIZE, PAGE_SIZE).await;
    let groups = browse::groups(&state.db, p).await;
    let ((rows, total), groups) = match (listed, groups) {
        (Ok(l), Ok(g)) => (l, g),
        (Err(e), _) | (_, Err(e)) => return super::internal(e),
    };
    let ctx = &page_.ctx;
    let active = if filter.conflicts { "conflicts" } else { "households" };
    let body = html! {
        (filters(ctx, &q, &groups))
        (table(ctx, &rows))
        (pager(ctx, &q, current, total))
        p.noprint {
            a href={"/exports/households.xlsx?" (q.to_query())} { "XLSX" } " · "
            a href={"/exports/households.csv?" (q.to_query())} { "CSV" }
        }
    };
    html_response(page(ctx, t(ctx.lang, active), active, body))
}

fn select(name: &str, label: &str, current: Option<&str>, options: &[(String, String)], lang: Lang) -> Markup {
    html! {
        label { (label)
            select name=(name) {
                option value="" { (t(lang, "all")) }
                @for (value, text) in options {
                    option value=(value) selected[current == Some(value.as_str())] { (text) }
                }
            }
        }
    }
}

fn filters(ctx: &Ctx, q: &ListQuery, groups: &[String]) -> Markup {
    let lang = ctx.lang;
    let groups: Vec<(String, String)> = groups.iter().map(|g| (g.clone(), g.clone())).collect();
    let categories: Vec<(String, String)> =
        Category::ALL.iter().map(|c| (c.as_code().to_owned(), c.label().get(lang).to_owned())).collect();
    let indicators: Vec<(String, String)> =
        indicator_names(lang).into_iter().map(|(n, name)| (n.to_string(), format!("{n}. {name}"))).collect();
    let statuses: Vec<(String, String)> =
        ReviewStatus::ALL.iter().map(|s| (s.as_code().to_owned(), s.label().get(lang).to_owned())).collect();
    let sorts: Vec<(String, String)> = [Sort::Group, Sort::Name, Sort::Deprivations, Sort::Recent]
        .iter()
        .map(|s| (s.code().to_owned(), t(lang, sort_key(*s)).to_owned()))
        .collect();
    html! {
        form.filters method="get" action="/households" {
            label { (t(lang, "search")) input type="search" name="q" value=[q.q.as_deref()]; }
            (select("group", t(lang, "group"), q.group.as_deref(), &groups, lang))
            (select("category", t(lang, "category"), q.category.as_deref(), &categories, lang))
            (select("indicator", t(lang, "indicator_deprived"), q.indicator.as_deref(), &indicators, lang))
            (select("review", t(lang, "review_status"), q.review.as_deref(), &statuses, lang))
            label { (t(lang, "sort"))
                select name="sort" {
                    @for (value, text) in &sorts {
                        option value=(value) selected[q.sort.as_deref() == Some(value.as_str())] { (text) }
                    }
                }
            }
            label.check { input type="checkbox" name="conflicts" value="1" checked[some(&q.conflicts).is_some()]; (t(lang, "has_conflicts")) }
            label.check { input type="checkbox" name="changed" value="1" checked[some(&q.changed).is_some()]; (t(lang, "changed")) }
            div.actions { button type="submit" { (t(lang, "filter")) } a href="/households" { (t(lang, "clear")) } }
        }
    }
}

fn sort_key(s: Sort) -> &'static str {
    match s {
        Sort::Group => "sort_group",
        Sort::Name => "sort_name",
        Sort::Deprivations => "sort_deprived",
        Sort::Recent => "sort_recent",
    }
}

fn table(ctx: &Ctx, rows: &[ListRow]) -> Markup {
    let lang = ctx.lang;
    html! {
        @if rows.is_empty() { p { (t(lang, "none_found")) } }
        @else {
            div.scroll { table #households {
                thead { tr {
                    th { (t(lang, "code")) } th { (t(lang, "head")) } th { (t(lang, "group")) }
                    th.num { (t(lang, "members")) } th { (t(lang, "category")) } th.num { (t(lang, "deprived")) }
                    th { (t(lang, "previous")) } th { (t(lang, "review_status")) } th { (t(lang, "conflicts")) }
                } }
                tbody {
                    @for r in rows {
                        tr {
                            td { (r.code.as_deref().unwrap_or("—")) }
                            td { a href={"/households/" (r.id)} { (r.head_name) } div.muted { (r.address) } }
                            td { (r.group) }
                            td.num { (r.member_count) }
                            td { (category_badge(lang, r.category.as_deref())) }
                            td.num { (r.deprived_count.map_or("—".to_owned(), |d| d.to_string())) }
                            td { @if let Some(prev) = &r.previous_category { (super::layout::category_label(lang, Some(prev))) } @else { "—" } }
                            td { (review_label(lang, &r.review_status)) }
                            td { @if r.conflict_count > 0 { span.warn { "⚠ " (r.conflict_count) } } }
                        }
                    }
                }
            } }
        }
    }
}

fn pager(ctx: &Ctx, q: &ListQuery, current: i64, total: i64) -> Markup {
    let lang = ctx.lang;
    let last = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let from = if total == 0 { 0 } else { (current - 1) * PAGE_SIZE + 1 };
    let to = (current * PAGE_SIZE).min(total);
    let base = q.to_query();
    let href =
        |p: i64| if base.is_empty() { format!("/households?page={p}") } else { format!("/households?{base}&page={p}") };
    html! {
        div.pager {
            span #count { (t(lang, "showing")) " " (number(lang, from)) "–" (number(lang, to)) " " (t(lang, "of")) " " (number(lang, total)) }
            @if current > 1 { a rel="prev" href=(href(current - 1)) { "← " (t(lang, "prev")) } }
            @if current < last { a rel="next" href=(href(current + 1)) { (t(lang, "next")) " →" } }
        }
    }
}
