//! A household on the device: its list row (the projection the list and search read) derived
//! from its Automerge document with `shared` — the same reading, validation and classification
//! as the server's registry.

use automerge::{AutoCommit, ChangeHash, ReadDoc};
use chrono::{Datelike, NaiveDate};
use shared::model::{Household, Relation};
use shared::poverty::{Classification, PovertyStandard, classify_household};
use shared::text::search_key;
use uuid::Uuid;

/// One household as the list shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// The household.
    pub household_id: Uuid,
    /// The ward's household code.
    pub code: Option<String>,
    /// The head's full name (or the first member's; empty before members are entered).
    pub head_name: String,
    /// Street address.
    pub address: String,
    /// Residential group code.
    pub group: String,
    /// Folded names of every member, address and code (`shared::text::search_key`).
    pub search_key: String,
    /// Category code when the household classifies.
    pub category: Option<String>,
    /// Year of the interview date.
    pub interview_year: Option<i32>,
    /// Members.
    pub member_count: usize,
    /// Conflicted fields.
    pub conflicts: usize,
    /// The server lacks some of its changes.
    pub unsynced: bool,
    /// Survey step to resume at (`shared::survey::Step` index).
    pub step: usize,
    /// Unix seconds of the last local write.
    pub updated_at: i64,
}

/// The classification the summary shows: the standard for the review year, ages on the
/// interview date (as the server's registry computes it).
pub fn classify(h: &Household) -> Classification {
    let standard = PovertyStandard::default_for_year(h.review_year.get());
    classify_household(h, &standard, h.interview_date)
}

/// The list row of a document. `acked` are the hashes the server has; `today` dates the
/// validation that decides whether the household classifies.
pub fn project(doc: &mut AutoCommit, acked: &[ChangeHash], step: usize, now: i64, today: NaiveDate) -> Row {
    let unsynced = !doc.get_changes(acked).is_empty();
    let conflicts = shared::doc::conflicts(doc).len();
    let household_id = doc
        .get(automerge::ROOT, "household_id")
        .ok()
        .flatten()
        .and_then(|(v, _)| v.as_str().and_then(|s| Uuid::parse_str(s).ok()))
        .unwrap_or_default();
    let base = Row { household_id, conflicts, unsynced, step, updated_at: now, ..Row::default() };
    match shared::doc::read_household(doc) {
        Ok((Some(h), _)) => row_of(&h, base, today),
        _ => base,
    }
}

fn row_of(h: &Household, base: Row, today: NaiveDate) -> Row {
    let head = h.members.iter().find(|m| m.relation == Relation::Head).or(h.members.first());
    let code = h.code.as_ref().map(|c| c.as_str().to_owned());
    let names: Vec<&str> = h.members.iter().map(|m| m.full_name.as_str()).collect();
    let key =
        search_key(&format!("{} | {} | {}", names.join(" | "), h.address.as_str(), code.as_deref().unwrap_or("")));
    let valid = !shared::validate::validate_household(h, today).iter().any(|i| i.is_error());
    Row {
        code,
        head_name: head.map(|m| m.full_name.as_str().to_owned()).unwrap_or_default(),
        address: h.address.as_str().to_owned(),
        group: h.area.group.as_str().to_owned(),
        search_key: key,
        category: valid.then(|| classify(h).category.as_code().to_owned()),
        interview_year: Some(h.interview_date.year()),
        member_count: h.members.len(),
        ..base
    }
}
