//! The dashboard: progress per residential group (§7 steps), collectors' last sync and
//! pending work, households by category, transitions since last year, and the plan targets of
//! §9 as target-vs-now bars for the ward and a table per residential group.

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use shared::model::Category;
use std::collections::{BTreeSet, HashMap};

use shared::plan::{Measure, PlanTarget, share, ward_targets};

use super::charts::{Bar, target_bars};
use super::i18n::t;
use super::layout::{Ctx, category_label, html_response, number, page, percent};
use super::session::Page;
use crate::service::http::AppState;
use crate::service::store::browse::{self, CollectorRow, GroupProgress};

/// "Now" of every target measure for the ward (group `""`) and each residential group:
/// (met, known).
#[derive(Default)]
struct Shares(HashMap<(String, Measure), (i64, i64)>);

impl Shares {
    async fn load(
        state: &AppState,
        p: &crate::service::auth::Principal,
    ) -> Result<Shares, crate::service::store::StoreError> {
        let mut map = HashMap::new();
        for per_group in [false, true] {
            for (g, n, met, known) in browse::indicator_shares(&state.db, p, per_group).await? {
                let n = u8::try_from(n).unwrap_or_default();
                map.insert((g, Measure::Households(n)), (met, known));
            }
            for (g, m, met, known) in browse::person_shares(&state.db, p, per_group).await? {
                map.insert((g, Measure::Persons(m)), (met, known));
            }
        }
        Ok(Shares(map))
    }

    /// The share now, percent (`None`: nothing known).
    fn now(&self, group: &str, m: Measure) -> Option<f64> {
        self.0.get(&(group.to_owned(), m)).and_then(|(met, known)| share(*met, *known))
    }

    /// The residential groups with figures, in order.
    fn groups(&self) -> Vec<&str> {
        let groups: BTreeSet<&str> = self.0.keys().map(|(g, _)| g.as_str()).filter(|g| !g.is_empty()).collect();
        groups.into_iter().collect()
    }
}

/// Everything the dashboard shows, read with a handful of grouped queries.
struct Data {
    progress: Vec<GroupProgress>,
    categories: Vec<(Option<String>, i64)>,
    transitions: Vec<(Option<String>, i64)>,
    shares: Shares,
    collectors: Vec<CollectorRow>,
    targets: Vec<PlanTarget>,
}

async fn load(
    state: &AppState,
    p: &crate::service::auth::Principal,
) -> Result<Data, crate::service::store::StoreError> {
    Ok(Data {
        progress: browse::progress(&state.db, p).await?,
        categories: browse::count_by(&state.db, p, "category", None).await?,
        transitions: browse::count_by(&state.db, p, "transition", Some("h.transition is not null")).await?,
        shares: Shares::load(state, p).await?,
        collectors: browse::collectors(&state.db, p).await?,
        targets: ward_targets(&crate::service::store::settings::settings(&state.db, &p.commune).await?),
    })
}

/// `GET /`.
pub async fn show(State(state): State<AppState>, pg: Page) -> Response {
    let data = match load(&state, &pg.user.principal).await {
        Ok(d) => d,
        Err(e) => return super::internal(e),
    };
    let ctx = &pg.ctx;
    let lang = ctx.lang;
    let body = html! {
        div.grid2 {
            (categories(ctx, &data.categories))
            (transitions(ctx, &data.transitions))
        }
        section.card #targets {
            h2 { (t(lang, "targets")) }
            (target_bars(&bars(ctx, &data.targets, &data.shares, ""), t(lang, "now"), t(lang, "target"), lang))
            (super::settings::targets_form(ctx, &data.targets))
        }
        (targets_by_group(ctx, &data.targets, &data.shares))
        (progress(ctx, &data.progress))
        (collectors(ctx, &data.collectors))
    };
    html_response(page(ctx, t(lang, "dashboard"), "dashboard", body))
}

fn bars(ctx: &Ctx, targets: &[PlanTarget], shares: &Shares, group: &str) -> Vec<Bar> {
    targets
        .iter()
        .map(|target| {
            let now = shares.now(group, target.measure);
            Bar {
                label: target.label.get(ctx.lang).to_owned(),
                now,
                target: target.percent,
                met: now.is_some_and(|n| target.met(n)),
            }
        })
        .collect()
}

fn categories(ctx: &Ctx, counts: &[(Option<String>, i64)]) -> Markup {
    let lang = ctx.lang;
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let order: Vec<Option<&str>> = Category::ALL.iter().map(|c| Some(c.as_code())).chain([None]).collect();
    html! {
        section.card #categories {
            h2 { (t(lang, "categories")) }
            table {
                thead { tr { th { (t(lang, "category")) } th.num { (t(lang, "count")) } th.num { (t(lang, "percent")) } } }
                tbody {
                    @for code in order {
                        @let n = counts.iter().find(|(c, _)| c.as_deref() == code).map_or(0, |(_, n)| *n);
                        tr {
                            td { @if let Some(c) = code { a href={"/households?category=" (c)} { (category_label(lang, Some(c))) } } @else { (category_label(lang, None)) } }
                            td.num { (number(lang, n)) }
                            td.num { (share(n, total).map_or("—".into(), |p| percent(lang, p))) }
                        }
                    }
                    tr { th { (t(lang, "total")) } th.num { (number(lang, total)) } th {} }
                }
            }
        }
    }
}

fn transitions(ctx: &Ctx, counts: &[(Option<String>, i64)]) -> Markup {
    let lang = ctx.lang;
    html! {
        section.card #transitions {
            h2 { (t(lang, "transitions")) }
            table {
                thead { tr { th { (t(lang, "transition")) } th.num { (t(lang, "count")) } } }
                tbody { @for (code, n) in counts {
                    tr { td { (super::detail::transition_label(lang, code.as_deref().unwrap_or_default())) } td.num { (number(lang, *n)) } }
                } }
            }
        }
    }
}

fn targets_by_group(ctx: &Ctx, targets: &[PlanTarget], shares: &Shares) -> Markup {
    let lang = ctx.lang;
    let groups = shares.groups();
    html! {
        section.card #targets-groups {
            h2 { (t(lang, "targets_by_group")) }
            div.scroll { table {
                thead { tr { th { (t(lang, "group")) } @for target in targets { th.num { (target.label.get(lang)) " (" (target.percent) "%)" } } } }
                tbody { @for g in &groups {
                    tr {
                        td { (g) }
                        @for target in targets {
                            @let now = shares.now(g, target.measure);
                            td class={"num " (now.map_or("", |n| if target.met(n) { "met" } else { "warn" }))} {
                                (now.map_or("—".into(), |n| percent(lang, n)))
                            }
                        }
                    }
                } }
            } }
        }
    }
}

fn progress(ctx: &Ctx, rows: &[GroupProgress]) -> Markup {
    let lang = ctx.lang;
    let sum = |f: fn(&GroupProgress) -> i64| rows.iter().map(f).sum::<i64>();
    html! {
        section.card #progress {
            h2 { (t(lang, "progress")) }
            div.scroll { table {
                thead { tr {
                    th { (t(lang, "group")) } th.num { (t(lang, "listed")) } th.num { (t(lang, "visited")) } th.num { (t(lang, "classified")) }
                    th.num { (t(lang, "agreed")) } th.num { (t(lang, "recognised")) } th.num { (t(lang, "poor")) } th.num { (t(lang, "near_poor")) } th.num { (t(lang, "conflicts")) }
                } }
                tbody {
                    @for r in rows {
                        tr {
                            td { a href={"/households?group=" (r.group)} { (r.group) } }
                            td.num { (number(lang, r.listed)) } td.num { (number(lang, r.visited)) } td.num { (number(lang, r.classified)) }
                            td.num { (number(lang, r.agreed)) } td.num { (number(lang, r.recognised)) } td.num { (number(lang, r.poor)) }
                            td.num { (number(lang, r.near_poor)) }
                            td.num { @if r.conflicts > 0 { a.warn href={"/households?conflicts=1&group=" (r.group)} { (r.conflicts) } } @else { "0" } }
                        }
                    }
                    tr {
                        th { (t(lang, "total")) }
                        th.num { (number(lang, sum(|r| r.listed))) } th.num { (number(lang, sum(|r| r.visited))) } th.num { (number(lang, sum(|r| r.classified))) }
                        th.num { (number(lang, sum(|r| r.agreed))) } th.num { (number(lang, sum(|r| r.recognised))) } th.num { (number(lang, sum(|r| r.poor))) }
                        th.num { (number(lang, sum(|r| r.near_poor))) } th.num { (number(lang, sum(|r| r.conflicts))) }
                    }
                }
            } }
        }
    }
}

fn collectors(ctx: &Ctx, rows: &[CollectorRow]) -> Markup {
    let lang = ctx.lang;
    html! {
        section.card #collectors {
            h2 { (t(lang, "collectors")) }
            div.scroll { table {
                thead { tr { th { (t(lang, "name")) } th { (t(lang, "group")) } th { (t(lang, "last_sync")) } th.num { (t(lang, "pending")) } } }
                tbody { @for r in rows {
                    tr {
                        td { (r.name) } td { (r.groups) }
                        td { (r.last_sync_at.as_deref().map_or_else(|| t(lang, "never").to_owned(), |s| s.get(..16).unwrap_or(s).replace('T', " "))) }
                        td.num { (number(lang, r.pending)) }
                    }
                } }
            } }
        }
    }
}
