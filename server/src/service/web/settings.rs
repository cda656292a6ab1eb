//! The ward's own settings, edited by its staff: plan target percentages (on the dashboard)
//! and the department responsible for each indicator (on the department lists). Forms inside
//! `<details>`, so they work without script; every change is audited.

use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde_json::json;
use shared::plan::{PlanTarget, department_of};
use shared::poverty::PovertyStandard;

use super::i18n::t;
use super::layout::Ctx;
use super::session::Page;
use crate::service::http::AppState;
use crate::service::store::StoreError;
use crate::service::store::sessions::audit;
use crate::service::store::settings::set_settings;

/// The form editing the plan targets.
pub fn targets_form(ctx: &Ctx, targets: &[PlanTarget]) -> Markup {
    let lang = ctx.lang;
    html! {
        details.noprint {
            summary { (t(lang, "edit_targets")) }
            form method="post" action="/settings/targets" {
                input type="hidden" name="csrf" value=(ctx.csrf);
                div.filters {
                    @for target in targets {
                        label { (target.label.get(lang)) " (%)"
                            input type="number" name={"target:" (target.code)} min="0" max="100" step="0.1" value=(target.percent);
                        }
                    }
                }
                button type="submit" { (t(lang, "save")) }
            }
        }
    }
}

/// The form editing the departments.
pub fn departments_form(ctx: &Ctx, standard: &PovertyStandard, settings: &HashMap<String, String>) -> Markup {
    let lang = ctx.lang;
    html! {
        details.noprint {
            summary { (t(lang, "edit_departments")) }
            form method="post" action="/settings/departments" {
                input type="hidden" name="csrf" value=(ctx.csrf);
                div.filters {
                    @for i in &standard.indicators {
                        label { (i.number) ". " (i.name.get(lang))
                            input type="text" maxlength="120" name={"department:" (i.number)} value=(department_of(settings, i.number, &i.department).vi);
                        }
                    }
                }
                button type="submit" { (t(lang, "save")) }
            }
        }
    }
}

fn save(
    pg: &Page,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
    prefix: &str,
    valid: impl Fn(&str, &str) -> bool,
) -> Option<Vec<(String, String)>> {
    if !pg.check_form(headers, form.get("csrf").map_or("", String::as_str)) {
        return None;
    }
    let values: Vec<(String, String)> = form
        .iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .map(|(k, v)| (k.clone(), v.trim().chars().take(120).collect::<String>()))
        .collect();
    values.iter().all(|(k, v)| valid(k, v)).then_some(values)
}

/// `POST /settings/targets`.
pub async fn save_targets(
    State(state): State<AppState>,
    pg: Page,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let codes: Vec<String> =
        shared::plan::default_targets().into_iter().map(|t| format!("target:{}", t.code)).collect();
    let valid = |k: &str, v: &str| {
        codes.iter().any(|c| c == k) && v.replace(',', ".").parse::<f64>().is_ok_and(|p| (0.0..=100.0).contains(&p))
    };
    let Some(values) = save(&pg, &headers, &f, "target:", valid) else { return super::forbidden(&pg.ctx) };
    match store(&state, &pg, &values, "set_targets").await {
        Ok(()) => Redirect::to("/#targets").into_response(),
        Err(e) => super::internal(e),
    }
}

/// `POST /settings/departments`.
pub async fn save_departments(
    State(state): State<AppState>,
    pg: Page,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let valid = |k: &str, _: &str| {
        k.strip_prefix("department:").and_then(|n| n.parse::<u8>().ok()).is_some_and(|n| (1..=12).contains(&n))
    };
    let Some(values) = save(&pg, &headers, &f, "department:", valid) else { return super::forbidden(&pg.ctx) };
    match store(&state, &pg, &values, "set_departments").await {
        Ok(()) => Redirect::to("/departments").into_response(),
        Err(e) => super::internal(e),
    }
}

async fn store(state: &AppState, pg: &Page, values: &[(String, String)], action: &str) -> Result<(), StoreError> {
    let p = &pg.user.principal;
    set_settings(&state.db, &p.commune, &p.user_id, values).await?;
    let detail = json!({"keys": values.iter().map(|(k, _)| k).collect::<Vec<_>>()});
    audit(&state.db, Some(&p.user_id), action, None, &detail).await
}
