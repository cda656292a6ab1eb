//! One household: classification, review steps, conflicts (settled here), the twelve
//! indicators with reasons, members, children's z-scores with a chart, the answers, history.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Value, json};
use shared::doc::{DocError, DocReview, set_field, set_review};
use shared::review::{ReviewAction, ReviewStatus, apply, next_actions};
use shared::text::Lang;

use super::i18n::t;
use super::layout::{Ctx, category_badge, category_label, html_response, page, review_label, status_badge};
use super::session::Page;
use crate::service::edit::{EditError, edit_household};
use crate::service::http::AppState;
use crate::service::store::browse::{self, Detail};
use crate::service::store::history::{self, Author, History};
use crate::service::store::sessions::audit;

/// `?done=…` after a POST.
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    done: Option<String>,
    error: Option<String>,
}

/// `GET /households/{id}`.
pub async fn show(
    State(state): State<AppState>,
    pg: Page,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let p = &pg.user.principal;
    let detail = match browse::household_detail(&state.db, p, &id).await {
        Ok(Some(d)) => d,
        Ok(None) => return super::not_found(&pg.ctx),
        Err(e) => return super::internal(e),
    };
    let history = match history::of_household(&state.db, &id).await {
        Ok(h) => h,
        Err(e) => return super::internal(e),
    };
    let actors: Vec<String> = detail
        .conflicts
        .iter()
        .flat_map(|(_, v)| v.as_array().cloned().unwrap_or_default())
        .filter_map(|v| v.get("actor").and_then(Value::as_str).map(str::to_owned))
        .collect();
    let names = match browse::actor_names(&state.db, &actors).await {
        Ok(n) => n,
        Err(e) => return super::internal(e),
    };
    let ctx = &pg.ctx;
    let lang = ctx.lang;
    let title = format!("{} — {}", detail.row.head_name, detail.row.code.as_deref().unwrap_or(&detail.row.group));
    let body = html! {
        @if let Some(d) = &done.done { p.notice role="status" { (t(lang, if d == "review" { "review_done" } else { "resolved" })) } }
        @if let Some(e) = &done.error { p.error role="alert" { (e) } }
        div.grid2 {
            (summary(ctx, &detail))
            (review_panel(ctx, &detail))
        }
        (conflicts_panel(ctx, &detail, &names))
        (indicators(ctx, &detail))
        (members(ctx, &detail))
        (children(ctx, &detail))
        (answers(ctx, &detail))
        (history_table(ctx, &history, &detail.record))
    };
    html_response(page(ctx, &title, "households", body))
}

fn yes_no(lang: Lang, v: Option<&Value>) -> &'static str {
    match v.and_then(Value::as_bool) {
        Some(true) => t(lang, "yes"),
        Some(false) => t(lang, "no"),
        None => t(lang, "unknown"),
    }
}

fn summary(ctx: &Ctx, d: &Detail) -> Markup {
    let lang = ctx.lang;
    let r = &d.record;
    html! {
        section.card #classification {
            h2 { (t(lang, "classification")) }
            dl.kv {
                dt { (t(lang, "category")) } dd { (category_badge(lang, d.row.category.as_deref())) }
                dt { (t(lang, "deprived")) } dd { (d.row.deprived_count.map_or("—".into(), |n| n.to_string())) }
                dt { (t(lang, "b2")) } dd { (d.b2_score.map_or("—".into(), |n| n.to_string())) }
                dt { (t(lang, "income_condition")) } dd { (match d.income_condition { Some(1) => t(lang, "yes"), Some(_) => t(lang, "no"), None => t(lang, "unknown") }) }
                dt { (t(lang, "standard")) } dd { (d.standard.as_deref().unwrap_or("—")) }
                dt { (t(lang, "previous")) } dd { (d.row.previous_category.as_deref().map_or("—".into(), |c| category_label(lang, Some(c)))) }
                dt { (t(lang, "transition")) } dd { (d.transition.as_deref().map_or("—".into(), |c| transition_label(lang, c))) }
                dt { (t(lang, "address")) } dd { (r.get("address").and_then(Value::as_str).unwrap_or_default()) }
                dt { (t(lang, "group")) } dd { (d.row.group) }
            }
            @if let Some(issues) = d.issues.as_array().filter(|i| !i.is_empty()) {
                h2 { (t(lang, "issues")) }
                ul { @for i in issues {
                    li class=[(i.get("severity").and_then(Value::as_str) == Some("error")).then_some("warn")] {
                        code { (i.get("path").and_then(Value::as_str).unwrap_or_default()) } " — "
                        (i.pointer(if lang == Lang::Vi { "/message/vi" } else { "/message/en" }).and_then(Value::as_str).unwrap_or_default())
                    }
                } }
            }
        }
    }
}

/// A transition's label (standard §6).
pub fn transition_label(lang: Lang, code: &str) -> String {
    let (vi, en) = match code {
        "escaped_poverty" => ("Thoát nghèo", "Escaped poverty"),
        "escaped_near_poverty" => ("Thoát cận nghèo", "Escaped near-poverty"),
        "fell_into_poverty" => ("Nghèo mới", "Fell into poverty"),
        "relapsed" => ("Tái nghèo", "Relapsed"),
        "new_near_poor" => ("Cận nghèo mới", "New near-poor"),
        "unchanged" => ("Không đổi", "Unchanged"),
        other => (other, other),
    };
    match lang {
        Lang::Vi => vi.to_owned(),
        Lang::En => en.to_owned(),
    }
}

fn review_panel(ctx: &Ctx, d: &Detail) -> Markup {
    let lang = ctx.lang;
    let status = ReviewStatus::from_code(&d.row.review_status).unwrap_or(ReviewStatus::Listed);
    let action = format!("/households/{}/review", d.row.id);
    html! {
        section.card #review {
            h2 { (t(lang, "review")) }
            dl.kv {
                dt { (t(lang, "review_status")) } dd #review-status { (review_label(lang, &d.row.review_status)) }
                @if let Some(p) = d.agreement_percent { dt { (t(lang, "agreement")) } dd { (p) "%" } }
                @if let Some(c) = &d.review_comment { dt { (t(lang, "comment")) } dd { (c) } }
                @if let Some(at) = &d.review_at { dt { (t(lang, "when")) } dd { (at) } }
            }
            div.actions {
                @if next_actions(status).is_empty() { span.muted { (t(lang, "no_steps")) } }
                @for a in next_actions(status) {
                    form method="post" action=(action) {
                        input type="hidden" name="csrf" value=(ctx.csrf);
                        input type="hidden" name="action" value=(a);
                        @if *a == "record_meeting" {
                            label { (t(lang, "agreeing")) input type="number" name="agreeing" min="0" required; }
                            label { (t(lang, "attending")) input type="number" name="attending" min="1" required; }
                        }
                        @if *a == "return" {
                            label { (t(lang, "comment")) textarea name="comment" rows="2" required {} }
                        }
                        button type="submit" name="go" value=(a) { (t(lang, action_key(a))) }
                    }
                }
            }
        }
    }
}

fn action_key(code: &str) -> &'static str {
    match code {
        "record_meeting" => "act_record_meeting",
        "return" => "act_return",
        "mark_visited" => "act_mark_visited",
        "post" => "act_post",
        _ => "act_recognise",
    }
}

fn show_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "∅".to_owned(),
        other => other.to_string(),
    }
}

fn conflicts_panel(ctx: &Ctx, d: &Detail, names: &std::collections::HashMap<String, String>) -> Markup {
    let lang = ctx.lang;
    let action = format!("/households/{}/resolve", d.row.id);
    html! {
        section.card #conflicts {
            h2 { (t(lang, "conflicts")) }
            @if d.conflicts.is_empty() { p.muted { (t(lang, "no_conflicts")) } }
            @else { p.muted { (t(lang, "conflict_help")) } }
            @for (path, values) in &d.conflicts {
                form.conflict method="post" action=(action) data-path=(path) {
                    input type="hidden" name="csrf" value=(ctx.csrf);
                    input type="hidden" name="path" value=(path);
                    div {
                        strong { (t(lang, "field")) ": " }
                        @if let Some(q) = shared::answers::question(path) { (q.get(lang)) " " }
                        code.muted { (path) }
                    }
                    @for (i, v) in values.as_array().cloned().unwrap_or_default().iter().enumerate() {
                        @let actor = v.get("actor").and_then(Value::as_str).unwrap_or_default();
                        @let who = names.get(actor).cloned().unwrap_or_else(|| t(lang, "server").to_owned());
                        @let when = v.get("timestamp").and_then(Value::as_i64).and_then(|s| chrono::DateTime::from_timestamp(s, 0)).map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string());
                        label.check {
                            input type="radio" name="choice" value=(i) required;
                            strong { (shared::answers::answer(path, v.get("value").unwrap_or(&Value::Null)).get(lang)) }
                            span.muted { " — " (who) @if let Some(w) = when { ", " (w) } }
                        }
                    }
                    label.check {
                        input type="radio" name="choice" value="typed";
                        (t(lang, "typed")) ": " input type="text" name="typed" maxlength="2000";
                    }
                    button type="submit" { (t(lang, "resolve")) }
                }
            }
        }
    }
}

fn indicators(ctx: &Ctx, d: &Detail) -> Markup {
    let lang = ctx.lang;
    let names = super::households::indicator_names(lang);
    html! {
        section.card #indicators {
            h2 { (t(lang, "indicators")) }
            div.scroll { table {
                thead { tr { th.num { "#" } th { (t(lang, "indicator")) } th { (t(lang, "status")) } th { (t(lang, "reason")) } } }
                tbody { @for (n, _code, status, vi, en) in &d.indicators {
                    tr {
                        td.num { (n) }
                        td { (names.iter().find(|(m, _)| i64::from(*m) == *n).map_or("", |(_, s)| s.as_str())) }
                        td { (status_badge(lang, status)) }
                        td { (if lang == Lang::Vi { vi } else { en }) }
                    }
                } }
            } }
        }
    }
}

/// A member's code answer by its label (`shared::answers`), the code itself if unknown, `—`
/// if absent or not answered.
fn code_label(lang: Lang, key: &str, v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => {
            shared::answers::code_answer(key, s).map_or_else(|| s.clone(), |t| t.get(lang).to_owned())
        }
        _ => "—".to_owned(),
    }
}

fn members(ctx: &Ctx, d: &Detail) -> Markup {
    let lang = ctx.lang;
    let members = d.record.get("members").and_then(Value::as_array).cloned().unwrap_or_default();
    html! {
        section.card #members {
            h2 { (t(lang, "members")) " (" (members.len()) ")" }
            div.scroll { table {
                thead { tr {
                    th { (t(lang, "name")) } th { (t(lang, "sex")) } th { (t(lang, "birth")) } th { (t(lang, "relation")) }
                    th { (t(lang, "work")) } th { (t(lang, "insurance")) } th { (t(lang, "education")) } th { (t(lang, "in_school")) }
                } }
                tbody { @for m in &members {
                    tr {
                        td { (m.get("full_name").and_then(Value::as_str).unwrap_or_default()) }
                        td { (code_label(lang, "sex", m.get("sex"))) }
                        td { (m.get("birth_date").or(m.get("birth_year")).map(show_value).unwrap_or_default()) }
                        td { (code_label(lang, "relation", m.get("relation"))) }
                        td { (code_label(lang, "work", m.get("work"))) }
                        td { (yes_no(lang, m.get("health_insurance"))) }
                        td { (code_label(lang, "education", m.get("education"))) }
                        td { (yes_no(lang, m.get("in_school"))) }
                    }
                } }
            } }
        }
    }
}

fn z_text(z: (Option<i64>, Option<i64>), lang: Lang) -> Markup {
    match z {
        (Some(c), flag) => {
            let v = format!("{:.2}", c as f64 / 100.0);
            let v = if lang == Lang::Vi { v.replace('.', ",") } else { v };
            html! {
                @if flag == Some(1) { span.flag title=(t(lang, "flagged")) { (v) " ⚑" } }
                @else if c < -200 { span.warn { (v) } }
                @else { (v) }
            }
        }
        (None, _) => html! { "—" },
    }
}

fn children(ctx: &Ctx, d: &Detail) -> Markup {
    let lang = ctx.lang;
    if d.measurements.is_empty() {
        return html! {};
    }
    let members = d.record.get("members").and_then(Value::as_array).cloned().unwrap_or_default();
    let name_of = |id: &str| {
        members
            .iter()
            .find(|m| m.get("member_id").and_then(Value::as_str) == Some(id))
            .and_then(|m| m.get("full_name").and_then(Value::as_str))
            .unwrap_or(id)
            .to_owned()
    };
    let series: Vec<(String, Vec<super::charts::ZPoint>)> = {
        let mut by_child: Vec<(String, Vec<super::charts::ZPoint>)> = Vec::new();
        for m in &d.measurements {
            let point = (
                m.measured_on.clone(),
                m.z[0].0.filter(|_| m.z[0].1 != Some(1)).map(|c| c as f64 / 100.0),
                m.z[1].0.filter(|_| m.z[1].1 != Some(1)).map(|c| c as f64 / 100.0),
            );
            match by_child.iter_mut().find(|(id, _)| *id == m.member_id) {
                Some((_, pts)) => pts.push(point),
                None => by_child.push((m.member_id.clone(), vec![point])),
            }
        }
        by_child.into_iter().map(|(id, pts)| (name_of(&id), pts)).collect()
    };
    html! {
        section.card #children {
            h2 { (t(lang, "children")) }
            div.scroll { table {
                thead { tr {
                    th { (t(lang, "name")) } th { (t(lang, "measured_on")) } th.num { (t(lang, "weight")) } th.num { (t(lang, "height")) }
                    th { (t(lang, "oedema")) } th.num { "HAZ" } th.num { "WAZ" } th.num { "WHZ" } th.num { "BAZ" }
                } }
                tbody { @for m in &d.measurements {
                    tr {
                        td { (name_of(&m.member_id)) }
                        td { (m.measured_on) }
                        td.num { (m.weight_g.map_or("—".into(), |g| format!("{:.2}", g as f64 / 1000.0))) }
                        td.num { (m.lenhei_mm.map_or("—".into(), |mm| format!("{:.1}", mm as f64 / 10.0))) }
                        td { (if m.oedema == 1 { t(lang, "yes") } else { t(lang, "no") }) }
                        @for z in m.z { td.num { (z_text(z, lang)) } }
                    }
                } }
            } }
            p.muted { (t(lang, "zchart")) }
            div.charts { @for (name, points) in &series { (super::charts::z_chart(name, points)) } }
        }
    }
}

fn answers(ctx: &Ctx, d: &Detail) -> Markup {
    let lang = ctx.lang;
    html! {
        section.card #answers {
            h2 { (t(lang, "answers")) }
            dl.kv { @for (path, question, answer) in shared::answers::household_answers(&d.record) {
                dt title=(path) { (question.get(lang)) }
                dd { (answer.get(lang)) }
            } }
        }
    }
}

/// An RFC 3339 time as `YYYY-MM-DD HH:MM:SS` (UTC).
fn short_time(at: &str) -> String {
    at.get(..19).unwrap_or(at).replace('T', " ")
}

/// A writer's Unix time as `YYYY-MM-DD HH:MM:SS` (UTC).
fn unix_time(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0).map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M:%S").to_string())
}

/// A changed field in words: a member's field by the member's name (as recorded now) and the
/// question, an answer by its question (`shared::answers`), anything else (layout, measurements)
/// by its path. The path stays in the element's title.
fn field_in_words(lang: Lang, record: &Value, path: &str) -> String {
    let mut parts = path.splitn(3, '.');
    if let (Some("members"), Some(id)) = (parts.next(), parts.next()) {
        let name = record
            .get("members")
            .and_then(Value::as_array)
            .and_then(|ms| ms.iter().find(|m| m.get("member_id").and_then(Value::as_str) == Some(id)))
            .and_then(|m| m.get("full_name"))
            .and_then(Value::as_str)
            .unwrap_or(t(lang, "removed_member"));
        return match parts.next().and_then(shared::answers::question) {
            Some(q) => format!("{name}: {}", q.get(lang)),
            None => name.to_owned(),
        };
    }
    shared::answers::question(path).map_or_else(|| path.to_owned(), |q| q.get(lang).to_owned())
}

/// The changes of the document, newest first (from its Automerge change log), then the web
/// actions on the household.
fn history_table(ctx: &Ctx, h: &History, record: &Value) -> Markup {
    let lang = ctx.lang;
    let older = h.total_changes.saturating_sub(h.changes.len());
    html! {
        section.card #history {
            h2 { (t(lang, "history")) }
            p.muted { (t(lang, "history_note")) }
            div.scroll { table.history {
                thead { tr {
                    th { (t(lang, "written_at")) } th { (t(lang, "received_at")) } th { (t(lang, "who")) }
                    th { (t(lang, "device")) } th { (t(lang, "fields_changed")) }
                } }
                tbody { @for e in &h.changes {
                    @let (who, device) = match &e.author {
                        Author::Device { user, device } => (user.clone(), device.clone()),
                        Author::Web { user, kind } => (
                            user.clone().unwrap_or_else(|| "—".to_owned()),
                            t(lang, if kind == "import" { "via_import" } else { "via_web" }).to_owned(),
                        ),
                        Author::Unknown => (t(lang, "server_writer").to_owned(), "—".to_owned()),
                    };
                    tr data-hash=(e.change.hash) {
                        td { (e.change.timestamp.map(unix_time).unwrap_or_else(|| "—".to_owned())) }
                        td { (e.received_at.as_deref().map(short_time).unwrap_or_else(|| "—".to_owned())) }
                        td { (who) }
                        td { (device) }
                        td { @for (i, p) in e.change.paths.iter().take(12).enumerate() {
                            @if i > 0 { ", " } span.field title=(p) { (field_in_words(lang, record, p)) }
                        } @if e.change.paths.len() > 12 { " … (+" (e.change.paths.len() - 12) ")" } }
                    }
                } }
            } }
            @if older > 0 { p.muted { (t(lang, "older_changes")) ": " (older) } }
            @if !h.actions.is_empty() {
                h3 { (t(lang, "web_actions")) }
                div.scroll { table {
                    thead { tr { th { (t(lang, "when")) } th { (t(lang, "who")) } th { (t(lang, "what")) } } }
                    tbody { @for a in &h.actions {
                        tr {
                            td { (short_time(&a.at)) }
                            td { (a.who.as_deref().unwrap_or("—")) }
                            td { code { (a.action) " " (a.detail) } }
                        }
                    } }
                } }
            }
        }
    }
}

/// `POST /households/{id}/resolve` form.
#[derive(Debug, Deserialize)]
pub struct ResolveForm {
    csrf: String,
    path: String,
    choice: String,
    #[serde(default)]
    typed: String,
}

/// The value a resolution writes: one of the conflict's values by index, or the typed text
/// read as JSON when it is (a number, `true`, `null`), else as a string.
fn chosen_value(detail: &Detail, path: &str, choice: &str, typed: &str) -> Option<Value> {
    if choice == "typed" {
        let typed = typed.trim();
        return Some(
            serde_json::from_str::<Value>(typed)
                .ok()
                .filter(|v| !v.is_object() && !v.is_array())
                .unwrap_or_else(|| Value::String(typed.to_owned())),
        );
    }
    let index: usize = choice.parse().ok()?;
    let (_, values) = detail.conflicts.iter().find(|(p, _)| p == path)?;
    values.get(index)?.get("value").cloned()
}

/// `POST /households/{id}/resolve`: writes the chosen value as a new change by the server,
/// which supersedes every value of the conflict and syncs to the phones.
pub async fn resolve(
    State(state): State<AppState>,
    pg: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<ResolveForm>,
) -> Response {
    if !pg.check_form(&headers, &f.csrf) {
        return super::forbidden(&pg.ctx);
    }
    let p = &pg.user.principal;
    let detail = match browse::household_detail(&state.db, p, &id).await {
        Ok(Some(d)) => d,
        Ok(None) => return super::not_found(&pg.ctx),
        Err(e) => return super::internal(e),
    };
    let Some(value) = chosen_value(&detail, &f.path, &f.choice, &f.typed) else {
        return back_with_error(&id, t(pg.ctx.lang, "bad_value"));
    };
    let typed_string = matches!(value, Value::String(_)) || f.choice != "typed";
    let path = f.path.clone();
    let first = value.clone();
    let mut result = edit_household(&state.db, p, &id, |doc| set_field(doc, &path, &first)).await;
    // A typed "12" is read as a number; a text field wants the string.
    if f.choice == "typed" && !typed_string && matches!(result, Err(EditError::Doc(DocError::BadValue { .. }))) {
        let as_text = Value::String(f.typed.trim().to_owned());
        result = edit_household(&state.db, p, &id, |doc| set_field(doc, &path, &as_text)).await;
    }
    match result {
        Ok(()) => {
            let detail = json!({"path": f.path, "choice": f.choice});
            if let Err(e) = audit(&state.db, Some(&p.user_id), "resolve_conflict", Some(&id), &detail).await {
                return super::internal(e);
            }
            tracing::info!(household = %id, "conflict resolved on the web");
            Redirect::to(&format!("/households/{id}?done=resolved#conflicts")).into_response()
        }
        Err(EditError::NotFound) => super::not_found(&pg.ctx),
        Err(EditError::Doc(_)) => back_with_error(&id, t(pg.ctx.lang, "bad_value")),
        Err(e) => edit_failed(e),
    }
}

fn back_with_error(id: &str, message: &str) -> Response {
    Redirect::to(&format!("/households/{id}?error={}", super::session::urlencode(message))).into_response()
}

fn edit_failed(e: EditError) -> Response {
    match e {
        EditError::Store(s) | EditError::Sync(crate::service::sync::SyncError::Store(s)) => super::internal(s),
        other => {
            tracing::error!(error = %other, "web edit refused");
            crate::service::http::Error::BadRequest("edit refused".into()).into_response()
        }
    }
}

/// `POST /households/{id}/review` form.
#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    csrf: String,
    action: String,
    agreeing: Option<String>,
    attending: Option<String>,
    comment: Option<String>,
}

impl ReviewForm {
    fn action(&self) -> Option<ReviewAction> {
        let num = |v: &Option<String>| v.as_deref().and_then(|s| s.trim().parse::<u32>().ok());
        Some(match self.action.as_str() {
            "record_meeting" => {
                ReviewAction::RecordMeeting { agreeing: num(&self.agreeing)?, attending: num(&self.attending)? }
            }
            "return" => {
                ReviewAction::Return { comment: self.comment.clone().unwrap_or_default().chars().take(1000).collect() }
            }
            "mark_visited" => ReviewAction::MarkVisited,
            "post" => ReviewAction::Post,
            "recognise" => ReviewAction::Recognise,
            _ => return None,
        })
    }
}

/// `POST /households/{id}/review`: takes one step of §7 (rules in `shared::review`), written
/// into the household document so the phone shows the status and the re-visit comment.
pub async fn review(
    State(state): State<AppState>,
    pg: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<ReviewForm>,
) -> Response {
    if !pg.check_form(&headers, &f.csrf) {
        return super::forbidden(&pg.ctx);
    }
    let lang = pg.ctx.lang;
    let p = &pg.user.principal;
    let detail = match browse::household_detail(&state.db, p, &id).await {
        Ok(Some(d)) => d,
        Ok(None) => return super::not_found(&pg.ctx),
        Err(e) => return super::internal(e),
    };
    let Some(action) = f.action() else { return back_with_error(&id, t(lang, "bad_value")) };
    let from = ReviewStatus::from_code(&detail.row.review_status).unwrap_or(ReviewStatus::Listed);
    let outcome = match apply(from, &action) {
        Ok(o) => o,
        Err(e) => return back_with_error(&id, e.message().get(lang)),
    };
    let record = DocReview {
        status: outcome.status,
        comment: outcome.comment.clone(),
        // The meeting's share stays with the result through posting and recognition.
        agreement_percent: outcome.agreement_percent.map(i64::from).or_else(|| {
            matches!(outcome.status, ReviewStatus::Posted | ReviewStatus::Recognised)
                .then_some(detail.agreement_percent)
                .flatten()
        }),
        by: Some(p.user_id.clone()),
        at: Some(crate::service::db::now_text()),
    };
    match edit_household(&state.db, p, &id, |doc| set_review(doc, &record)).await {
        Ok(()) => {
            let detail = json!({"action": action.code(), "from": from.as_code(), "to": outcome.status.as_code(), "agreement_percent": outcome.agreement_percent});
            if let Err(e) = audit(&state.db, Some(&p.user_id), "review_step", Some(&id), &detail).await {
                return super::internal(e);
            }
            Redirect::to(&format!("/households/{id}?done=review#review")).into_response()
        }
        Err(EditError::NotFound) => super::not_found(&pg.ctx),
        Err(e) => edit_failed(e),
    }
}
