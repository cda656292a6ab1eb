//! Tables 8–10 of §8: poor and near-poor households by target group (no working capacity, a
//! person of merit, ethnic minority), by the head's ethnicity, and by cause of poverty.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use super::{Listed, PerList};
use crate::model::{CauseOfPoverty, Disability, Household, Member, Relation, Work};
use crate::poverty::{Params, working_age};
use crate::text::{Text, search_key};

/// One row of tables 8–10: what is counted and how many households of each list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountRow {
    /// The group, ethnicity or cause.
    pub label: Text,
    /// Households of each list in it.
    pub households: PerList,
}

/// Tables 8–10: rows of household counts, with the size of each list for the shares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountTable {
    /// Households on each list (the base of the percentages).
    pub lists: PerList,
    /// The rows, in the table's order.
    pub rows: Vec<CountRow>,
}

/// Counts the listed households in each row: `rows_of` says which rows a household is in.
fn count_rows(listed: &[Listed<'_>], labels: Vec<Text>, rows_of: impl Fn(&Listed<'_>) -> Vec<usize>) -> CountTable {
    let mut rows: Vec<CountRow> =
        labels.into_iter().map(|label| CountRow { label, households: PerList::default() }).collect();
    let mut lists = PerList::default();
    for l in listed {
        lists.add(l.category);
        for i in rows_of(l) {
            if let Some(row) = rows.get_mut(i) {
                row.households.add(l.category);
            }
        }
    }
    CountTable { lists, rows }
}

/// The indices of the `true` values.
fn which(flags: &[bool]) -> Vec<usize> {
    flags.iter().enumerate().filter(|(_, f)| **f).map(|(i, _)| i).collect()
}

/// Hộ không có khả năng lao động (§8 table 8). The standard names the group without defining
/// it; our reading: the household has no member of working age who can work — every member of
/// working age (indicator 1's own rule, [`working_age`]: 15 to below the retirement age of the
/// reference year) is `unable_to_work` or has a `severe` or `especially_severe` disability, and
/// a household with no member of working age at all counts too. A working-age member whose work
/// is not answered counts as able to work: only what the record shows puts a household in the
/// group.
pub fn no_working_capacity(h: &Household, reference: NaiveDate, p: &Params) -> bool {
    !h.members.iter().any(|m| working_age(m, reference, p) && can_work(m))
}

fn can_work(m: &Member) -> bool {
    m.work != Some(Work::UnableToWork)
        && !matches!(m.disability, Some(Disability::Severe | Disability::EspeciallySevere))
}

/// An ethnic group's name folded for comparison: case and diacritics ignored
/// ([`search_key`]), spaces collapsed — "Kinh", "kinh" and " KINH " are one group.
pub fn ethnicity_key(name: &str) -> String {
    search_key(name).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn head(h: &Household) -> Option<&Member> {
    h.members.iter().find(|m| m.relation == Relation::Head)
}

/// The head's ethnicity as recorded (`None`: not recorded, or blank).
fn head_ethnicity(h: &Household) -> Option<&str> {
    head(h).and_then(|m| m.ethnicity.as_ref()).map(|e| e.as_str().trim()).filter(|e| !e.is_empty())
}

/// Hộ dân tộc thiểu số (§8 table 8). The standard is silent on whose ethnicity makes a
/// household's; our reading: the head's `ethnicity` is recorded and is not Kinh (compared with
/// [`ethnicity_key`]). A household whose head's ethnicity is not recorded is not counted (table
/// 9 shows how many there are).
pub fn ethnic_minority(h: &Household) -> bool {
    head_ethnicity(h).is_some_and(|e| ethnicity_key(e) != "kinh")
}

/// Table 8 (§8): households with no working capacity ([`no_working_capacity`]), with a person of
/// merit (`person_of_merit` on any member), and ethnic minority ([`ethnic_minority`]).
pub fn target_groups(listed: &[Listed<'_>]) -> CountTable {
    let labels = vec![
        Text::new("Hộ không có khả năng lao động", "No working capacity"),
        Text::new("Hộ có người có công với cách mạng", "With a person of merit"),
        Text::new("Hộ dân tộc thiểu số", "Ethnic minority"),
    ];
    count_rows(listed, labels, |l| {
        let h = &l.household;
        which(&[
            no_working_capacity(h, l.reference(), l.params),
            h.members.iter().any(Member::is_person_of_merit),
            ethnic_minority(h),
        ])
    })
}

/// Table 9 (§8): households by their head's ethnicity. One row per group found (spellings that
/// differ only in case, diacritics or spacing are one group, shown as its most frequent
/// spelling), most households first, then "Chưa ghi" (not recorded).
pub fn by_ethnicity(listed: &[Listed<'_>]) -> CountTable {
    // key → (spelling → households), to name each group by its most frequent spelling.
    let mut spellings: HashMap<String, HashMap<&str, usize>> = HashMap::new();
    for l in listed {
        if let Some(e) = head_ethnicity(&l.household) {
            *spellings.entry(ethnicity_key(e)).or_default().entry(e).or_default() += 1;
        }
    }
    let mut groups: Vec<(String, String, usize)> = spellings
        .into_iter()
        .map(|(key, names)| {
            let total = names.values().sum();
            let name = names
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                .map_or_else(String::new, |n| n.0.to_owned());
            (key, name, total)
        })
        .collect();
    groups.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    let mut labels: Vec<Text> = groups.iter().map(|(_, name, _)| Text::new(name.clone(), name.clone())).collect();
    labels.push(Text::new("Chưa ghi", "Not recorded"));
    let unrecorded = groups.len();
    count_rows(listed, labels, |l| match head_ethnicity(&l.household) {
        Some(e) => {
            let key = ethnicity_key(e);
            groups.iter().position(|g| g.0 == key).into_iter().collect()
        }
        None => vec![unrecorded],
    })
}

/// Table 10 (§8): households citing each cause of poverty (a household may cite several; a
/// cause listed twice counts once), in the dictionary's order, then those citing none.
pub fn by_cause(listed: &[Listed<'_>]) -> CountTable {
    let mut labels: Vec<Text> = CauseOfPoverty::ALL.iter().map(|c| c.label()).collect();
    labels.push(Text::new("Không ghi nguyên nhân", "No cause given"));
    count_rows(listed, labels, |l| {
        let causes: BTreeSet<CauseOfPoverty> = l.household.causes_of_poverty.iter().flatten().copied().collect();
        if causes.is_empty() {
            return vec![CauseOfPoverty::ALL.len()];
        }
        CauseOfPoverty::ALL.iter().enumerate().filter(|(_, c)| causes.contains(c)).map(|(i, _)| i).collect()
    })
}
