//! The screens. All state lives in one plain struct, [`Ui`], held in a signal; its methods do
//! the work (through [`Core`]) and are tested without a screen, and the components' event
//! handlers are one-liners over it.
//!
//! - [`widgets`] — big touch targets: segmented choices, selects, text fields, problems.
//! - [`screens`] — enrolment, household list, household card, measurement.
//! - [`survey`] — the survey steps and the live summary.

pub mod screens;
pub mod survey;
pub mod widgets;

use std::sync::Arc;

use dioxus::prelude::*;
use shared::model::MemberId;
use shared::survey::Step;
use uuid::Uuid;

use crate::core::{Core, Opened};
use crate::draft::{Blocked, Draft};
use crate::i18n::{K, Lang};
use crate::measure::MeasureForm;
use crate::store::Filter;
use crate::sync::{SyncProblem, SyncStatus};

/// Which screen is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// Enrol the device.
    Enrol,
    /// The household list.
    List,
    /// One household's card.
    Household(Uuid),
    /// The survey of the draft.
    Survey,
    /// Measuring a child of this household.
    Measure(Uuid),
}

/// A short message after an action.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// Done (e.g. "Saved").
    Ok(K),
    /// Failed, with the catalogue's words.
    Failed(K),
    /// The step cannot be left.
    Blocked(Blocked),
}

/// The whole state of the screens.
#[derive(Debug, Clone, PartialEq)]
pub struct Ui {
    /// The screen shown.
    pub screen: Screen,
    /// Enrolment: server URL or pasted link.
    pub enrol_server: String,
    /// Enrolment: code.
    pub enrol_code: String,
    /// An enrolment is in flight.
    pub enrolling: bool,
    /// List search text.
    pub query: String,
    /// List filter.
    pub filter: Filter,
    /// Rows shown (grows with "show more").
    pub limit: usize,
    /// The survey in progress.
    pub draft: Option<Draft>,
    /// The measurement being typed.
    pub measure: Option<MeasureForm>,
    /// Message after the last action.
    pub notice: Option<Notice>,
}

/// Rows per page of the list.
pub const PAGE: usize = 50;

impl Ui {
    /// The first screen: enrolment until the device is enrolled.
    pub fn new(core: &Core) -> Ui {
        Ui {
            screen: if core.enrolment().is_some() { Screen::List } else { Screen::Enrol },
            enrol_server: String::new(),
            enrol_code: String::new(),
            enrolling: false,
            query: String::new(),
            filter: Filter::All,
            limit: PAGE,
            draft: None,
            measure: None,
            notice: None,
        }
    }

    /// Goes to a screen, clearing the last message.
    pub fn go(&mut self, screen: Screen) {
        self.screen = screen;
        self.notice = None;
        self.measure = None;
    }

    /// Sets the search text (and starts from the first page).
    pub fn search(&mut self, query: &str) {
        self.query = query.to_owned();
        self.limit = PAGE;
    }

    /// Picks a filter.
    pub fn pick_filter(&mut self, filter: Filter) {
        self.filter = filter;
        self.limit = PAGE;
    }

    /// Starts a new household in the first of my groups.
    pub fn new_household(&mut self, core: &Core) {
        let Some(e) = core.enrolment() else { return };
        let group = e.groups.first().cloned().unwrap_or_default();
        let urban = core.commune_is_urban();
        self.draft = Some(Draft::new(&e.province, &e.commune, &group, urban, core.today()));
        self.go(Screen::Survey);
    }

    /// Opens the survey of a stored household where it was left.
    pub fn resume(&mut self, core: &Core, id: Uuid) {
        if let Ok(Some(o)) = core.open_household(id) {
            self.draft = Some(Draft::open_at(o.household, Step::from_index(o.row.step)));
            self.go(Screen::Survey);
        }
    }

    /// "Next": checks the step, saves (one transaction) and moves on.
    pub fn next(&mut self, core: &Core) {
        let today = core.today();
        let Some(draft) = self.draft.as_mut() else { return };
        if let Err(blocked) = draft.check_step(today) {
            self.notice = Some(Notice::Blocked(blocked));
            return;
        }
        let mut moved = draft.clone();
        moved.advance();
        match core.save(&moved.household, moved.step.index()) {
            Ok(_) => {
                moved.saved = true;
                *draft = moved;
                self.notice = Some(Notice::Ok(K::Saved));
            }
            Err(_) => self.notice = Some(Notice::Failed(K::SaveFailed)),
        }
    }

    /// "Back": to the previous step (answers are kept; nothing to save).
    pub fn back(&mut self) {
        self.notice = None;
        match self.draft.as_mut() {
            Some(d) if d.step != Step::Household => d.back(),
            _ => self.go(Screen::List),
        }
    }

    /// Leaves the survey for the household's card.
    pub fn finish(&mut self) {
        match self.draft.take() {
            Some(d) if d.saved => self.go(Screen::Household(d.household.household_id.0)),
            _ => self.go(Screen::List),
        }
    }

    /// Starts measuring a child of the opened household.
    pub fn start_measure(&mut self, core: &Core, opened: &Opened, child: MemberId) {
        if let Some(m) = opened.household.member(child) {
            self.measure = Some(MeasureForm::new(m, core.today()));
            self.screen = Screen::Measure(opened.household.household_id.0);
            self.notice = None;
        }
    }

    /// Saves the measurement into the household (the health worker's only edit).
    pub fn save_measurement(&mut self, core: &Core, household: Uuid) {
        let Some(form) = self.measure.as_ref() else { return };
        let Ok(Some(mut opened)) = core.open_household(household) else { return };
        let Some(child) = opened.household.member(form.member_id).cloned() else { return };
        let Some(m) = form.ready(&child) else { return };
        opened.household.measurements.push(m);
        match core.save(&opened.household, opened.row.step) {
            Ok(_) => {
                self.go(Screen::Household(household));
                self.notice = Some(Notice::Ok(K::Saved));
            }
            Err(_) => self.notice = Some(Notice::Failed(K::SaveFailed)),
        }
    }
}

/// The engine, from the root context.
pub fn use_core() -> Arc<Core> {
    use_context::<Arc<Core>>()
}

/// The screens' state.
pub fn use_ui() -> Signal<Ui> {
    use_context::<Signal<Ui>>()
}

/// The display language.
pub fn use_lang() -> Signal<Lang> {
    use_context::<Signal<Lang>>()
}

/// The sync status, updated by the background task.
pub fn use_sync() -> Signal<SyncStatus> {
    use_context::<Signal<SyncStatus>>()
}

/// The app. Needs an `Arc<Core>` root context (`VirtualDom::with_root_context`).
#[component]
pub fn App() -> Element {
    let core = use_core();
    let ui = use_context_provider(|| Signal::new(Ui::new(&core)));
    use_context_provider(|| Signal::new(core.lang()));
    let mut status = use_context_provider(|| Signal::new(core.sync_status()));
    let watched = core.clone();
    use_future(move || {
        let mut rx = watched.watch_sync();
        async move {
            while rx.changed().await.is_ok() {
                let s = rx.borrow_and_update().clone();
                status.set(s);
            }
        }
    });
    let screen = ui.read().screen.clone();
    rsx! {
        div { class: "app",
            Header {}
            main { class: "screen",
                match screen {
                    Screen::Enrol => rsx! { screens::Enrol {} },
                    Screen::List => rsx! { screens::List {} },
                    Screen::Household(id) => rsx! { screens::HouseholdCard { id } },
                    Screen::Survey => rsx! { survey::Survey {} },
                    Screen::Measure(household) => rsx! { screens::Measure { household } },
                }
            }
        }
    }
}

/// Title bar: app name, role, language switch; sync bar once enrolled.
#[component]
fn Header() -> Element {
    let core = use_core();
    let mut lang = use_lang();
    let l = lang();
    // Enrolment changes the screen: reading it re-renders the header then.
    let _screen = use_ui().read().screen.clone();
    let enrolled = core.enrolment();
    let switch = {
        let core = core.clone();
        move |_| {
            let next = if lang() == Lang::Vi { Lang::En } else { Lang::Vi };
            let _ = core.set_lang(next);
            lang.set(next);
        }
    };
    let role = enrolled.as_ref().map(|e| match e.role.as_str() {
        "collector" => K::RoleCollector.get(l),
        "health" => K::RoleHealth.get(l),
        _ => K::RoleOther.get(l),
    });
    rsx! {
        header { class: "top",
            div { class: "title",
                strong { {K::AppName.get(l)} }
                if let (Some(role), Some(e)) = (role, enrolled.as_ref()) {
                    span { class: "who", "{role} · {groups_text(&e.groups, l)}" }
                }
            }
            button { class: "lang", id: "lang", onclick: switch, {K::SwitchLang.get(l)} }
        }
        if enrolled.is_some() {
            SyncBar {}
        }
    }
}

/// "Tổ TDP-01" for one or two groups, "8 tổ" for more (a health worker's whole commune).
fn groups_text(groups: &[String], l: Lang) -> String {
    if groups.len() <= 2 {
        format!("{} {}", K::Groups.get(l), groups.join(", "))
    } else {
        format!("{} {}", groups.len(), K::Groups.get(l).to_lowercase())
    }
}

/// Pending changes, last sync, the sync button and the reason of a failure.
#[component]
fn SyncBar() -> Element {
    let core = use_core();
    let l = use_lang()();
    let s = use_sync()();
    let last = s.last_success.map(format_time).unwrap_or_else(|| K::NeverSynced.get(l).to_owned());
    let problem = s.problem.as_ref().map(|p| problem_text(p, l));
    rsx! {
        div { class: "syncbar", id: "syncbar",
            span { class: "pending", id: "pending", "data-pending": "{s.pending}", "{s.pending} {K::Pending.get(l)}" }
            span { class: "last", id: "last-sync", "{K::LastSync.get(l)}: {last}" }
            button {
                class: "sync",
                id: "sync",
                disabled: s.running,
                onclick: move |_| core.sync_now(),
                if s.running { {K::Syncing.get(l)} } else { {K::SyncNow.get(l)} }
            }
            if let Some(p) = problem {
                div { class: "problem", id: "sync-problem", "{p}" }
                if let Some(secs) = s.retry_in {
                    div { class: "retry", "{K::RetryIn.get(l)} {secs} s" }
                }
            }
        }
    }
}

/// The words for a sync problem, with the server's reasons.
pub fn problem_text(p: &SyncProblem, l: Lang) -> String {
    match p {
        SyncProblem::Offline => K::SyncOffline.get(l).to_owned(),
        SyncProblem::Unauthorised(code) => format!("{} ({code})", K::SyncUnauthorised.get(l)),
        SyncProblem::Refused(docs) => {
            let reasons: Vec<String> = docs.iter().map(|(_, r)| reason_text(r, l).to_owned()).collect();
            format!("{}: {}", K::SyncRefused.get(l), reasons.join("; "))
        }
        SyncProblem::Server(status, code) => format!("{} {status} ({code})", K::SyncServerError.get(l)),
    }
}

/// The server's refusal reason code in words.
pub fn reason_text(code: &str, l: Lang) -> &'static str {
    match code {
        "out_of_scope" => K::ReasonOutOfScope.get(l),
        "forbidden_fields" => K::ReasonForbidden.get(l),
        "foreign_actor" => K::ReasonForeignActor.get(l),
        _ => K::ReasonMalformed.get(l),
    }
}

/// Unix seconds as "HH:MM dd/mm" in Vietnam time.
pub fn format_time(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| (t + chrono::Duration::hours(7)).format("%H:%M %d/%m").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
