//! The ward staff's registry: server-rendered HTML served by `rasoat serve` (issue 5).
//!
//! One job per module:
//! - [`session`] — login, logout, sessions, CSRF, the language switch; the [`session::Page`]
//!   extractor that every page takes (no session → the login page; devices' bearer tokens
//!   open nothing here).
//! - [`layout`] — the page shell, style sheet, security headers, labels.
//! - [`i18n`] — the one string catalogue (Vietnamese first, English).
//! - [`households`] — the list: filters, search, sorting, paging.
//! - [`detail`] — one household: members, answers, indicators, z-scores, conflicts (settled
//!   here), review steps, history.
//! - [`dashboard`] — progress, categories, transitions, plan targets as SVG bars.
//! - [`departments`] — action lists per indicator for the responsible department.
//! - [`exports`] — XLSX, CSV and JSON Lines.
//! - [`report`] — the §8 report workbook.
//! - [`import`] — last year's list from XLSX/CSV: mapping preview, row errors, idempotent.
//! - [`charts`] — server-side SVG.
//! - [`settings`] — the ward's plan targets and department assignments, editable.
//!
//! Handlers parse, call `store` / `edit` / `shared`, and render; every query is limited to the
//! user's commune ([`crate::service::store::browse::Where::scope`]).

pub mod charts;
pub mod dashboard;
pub mod departments;
pub mod detail;
pub mod exports;
pub mod households;
pub mod i18n;
pub mod import;
pub mod layout;
pub mod report;
pub mod session;
pub mod settings;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::html;

use crate::service::http::AppState;
use i18n::t;
use layout::{Ctx, bare_page, html_response};

/// The web interface's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::show))
        .route("/login", get(session::login_page).post(session::login))
        .route("/logout", post(session::logout))
        .route("/lang/{code}", get(session::switch_lang))
        .route("/assets/app.css", get(css))
        .route("/households", get(households::list))
        .route("/households/{id}", get(detail::show))
        .route("/households/{id}/resolve", post(detail::resolve))
        .route("/households/{id}/review", post(detail::review))
        .route("/departments", get(departments::show))
        .route("/exports", get(exports::page))
        .route("/exports/households.xlsx", get(exports::households_xlsx))
        .route("/exports/households.csv", get(exports::households_csv))
        .route("/exports/report.xlsx", get(report::report_xlsx))
        .route("/exports/report/{file}", get(report::report_csv))
        .route("/exports/department.xlsx", get(exports::department_xlsx))
        .route("/exports/registry.jsonl", get(exports::registry_jsonl))
        .route("/settings/targets", post(settings::save_targets))
        .route("/settings/departments", post(settings::save_departments))
        .route("/import", get(import::form))
        .route("/import/preview", post(import::preview).layer(DefaultBodyLimit::max(import::MAX_FILE + 64 * 1024)))
        // The confirmed table travels back as JSON text in the form: allow for escaping.
        .route("/import/commit", post(import::commit).layer(DefaultBodyLimit::max(4 * import::MAX_FILE)))
}

async fn css() -> Response {
    let mut res = layout::CSS.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("max-age=3600"));
    res
}

/// 403: a form without a valid CSRF token or from another origin.
pub fn forbidden(ctx: &Ctx) -> Response {
    let body = html! { main.login { p.error { (t(ctx.lang, "bad_form")) } a href="/" { (t(ctx.lang, "dashboard")) } } };
    (StatusCode::FORBIDDEN, html_response(bare_page(ctx, t(ctx.lang, "bad_form"), body))).into_response()
}

/// 404: no such household in the user's scope (the same answer whether it exists elsewhere
/// or not at all).
pub fn not_found(ctx: &Ctx) -> Response {
    let body = html! { main.login { p.error { (t(ctx.lang, "not_found")) } a href="/households" { (t(ctx.lang, "households")) } } };
    (StatusCode::NOT_FOUND, html_response(bare_page(ctx, t(ctx.lang, "not_found"), body))).into_response()
}

/// 500 for a storage failure (logged, opaque).
pub fn internal(e: crate::service::store::StoreError) -> Response {
    crate::service::http::Error::Store(e).into_response()
}
