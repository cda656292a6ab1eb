//! Tables 14–15 of §8: the detailed lists of poor and near-poor households with their members —
//! one line per member, grouped under their household (head first), the household's columns on
//! its first line only so the printed list reads household by household.

use super::Listed;
use crate::model::{Birth, Category, Member, Relation};
use crate::text::{Lang, Text};

/// The headings of the detailed lists (tables 14–15), Vietnamese and English, in column order:
/// the household's five columns, then the member's number in the household and the member's.
pub fn member_list_headings() -> Vec<Text> {
    [
        ("STT hộ", "No."),
        ("Mã hộ", "Code"),
        ("Họ tên chủ hộ", "Head of household"),
        ("Địa chỉ", "Address"),
        ("Tổ dân phố", "Residential group"),
        ("TT", "#"),
        ("Họ tên thành viên", "Member"),
        ("Quan hệ với chủ hộ", "Relation to the head"),
        ("Giới tính", "Sex"),
        ("Ngày sinh / năm sinh", "Birth date / year"),
        ("Tuổi", "Age"),
        ("Dân tộc", "Ethnicity"),
        ("Số CCCD", "Citizen ID"),
        ("Việc làm", "Work"),
        ("Khuyết tật", "Disability"),
        ("Người có công", "Person of merit"),
        ("Thẻ BHYT", "Health insurance"),
        ("Trình độ học vấn", "Education"),
        ("Đang đi học", "In school"),
    ]
    .into_iter()
    .map(|(vi, en)| Text::new(vi, en))
    .collect()
}

/// A household's columns in a detailed list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdCells {
    /// Its number in the list (the same as in tables 12–13, which list the same households in
    /// the same order).
    pub number: usize,
    /// The ward's household code.
    pub code: String,
    /// The head's name.
    pub head: String,
    /// Address.
    pub address: String,
    /// Residential group.
    pub group: String,
}

/// One line of a detailed list: one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberLine {
    /// The household's columns, on its first member's line only.
    pub household: Option<HouseholdCells>,
    /// The member's number within the household (the head is 1).
    pub member_number: usize,
    /// The member's columns after the number, as [`member_list_headings`] names them; an
    /// unanswered question is blank.
    pub cells: Vec<String>,
}

/// Tables 14–15 (§8): the households on `list`, in the order given, each followed by its members
/// (head first, then in the record's order), in `lang`.
pub fn member_lines(listed: &[Listed<'_>], list: Category, lang: Lang) -> Vec<MemberLine> {
    let mut out = Vec::new();
    for (i, l) in listed.iter().filter(|l| l.category == list).enumerate() {
        let h = &l.household;
        let mut members: Vec<&Member> = h.members.iter().collect();
        members.sort_by_key(|m| m.relation != Relation::Head);
        let head = members.first().filter(|m| m.relation == Relation::Head).map(|m| m.full_name.to_string());
        let mut household = Some(HouseholdCells {
            number: i + 1,
            code: h.code.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default(),
            head: head.unwrap_or_default(),
            address: h.address.as_str().to_owned(),
            group: h.area.group.as_str().to_owned(),
        });
        for (j, m) in members.into_iter().enumerate() {
            out.push(MemberLine { household: household.take(), member_number: j + 1, cells: member_cells(m, l, lang) });
        }
    }
    out
}

fn member_cells(m: &Member, l: &Listed<'_>, lang: Lang) -> Vec<String> {
    let label = |t: Option<Text>| t.map(|t| t.get(lang).to_owned()).unwrap_or_default();
    let yes_no = |b: Option<bool>| label(b.map(|b| if b { Text::new("Có", "Yes") } else { Text::new("Không", "No") }));
    vec![
        m.full_name.to_string(),
        label(Some(m.relation.label())),
        label(Some(m.sex.label())),
        match m.birth {
            Birth::Date(d) => d.format("%d/%m/%Y").to_string(),
            Birth::Year(y) => y.to_string(),
        },
        m.age_years(l.reference()).map(|a| a.to_string()).unwrap_or_default(),
        m.ethnicity.as_ref().map(|e| e.as_str().to_owned()).unwrap_or_default(),
        m.id_number.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default(),
        label(m.work.map(|w| w.label())),
        label(m.disability.filter(|_| m.has_disability()).map(|d| d.label())),
        yes_no(m.is_person_of_merit().then_some(true)),
        yes_no(m.health_insurance),
        label(m.education.map(|e| e.label())),
        yes_no(m.in_school),
    ]
}
