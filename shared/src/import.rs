//! Last year's list of poor and near-poor households (standard §7.1: the households to review
//! start from the current lists), read from a spreadsheet: which column holds what (guessed
//! from the Vietnamese or English headings, editable by the user), and how one row becomes a
//! household record in the dictionary's form — the head as the one member known, last year's
//! category in `previous.category`, every survey answer not yet answered (`null`). The record
//! is then validated with every rule, so a row is imported only if it is a valid household.
//!
//! Re-importing the same list is a no-op: a row's household id is derived from the commune and
//! the ward's household code (or, without a code, the head's name and the address, folded).

use serde_json::{Value, json};
use uuid::Uuid;

use crate::model::Category;
use crate::text::{Text, search_key};

/// A column the import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportField {
    /// The ward's household code.
    Code,
    /// The head's full name.
    HeadName,
    /// The head's sex.
    Sex,
    /// The head's birth year (or a date: its year is taken).
    BirthYear,
    /// Address.
    Address,
    /// Residential group code.
    Group,
    /// Last year's category.
    Category,
}

impl ImportField {
    /// Every field, in the preview's order.
    pub const ALL: [ImportField; 7] = [
        ImportField::Code,
        ImportField::HeadName,
        ImportField::Sex,
        ImportField::BirthYear,
        ImportField::Address,
        ImportField::Group,
        ImportField::Category,
    ];

    /// Stable code (form field names).
    pub fn code(self) -> &'static str {
        match self {
            ImportField::Code => "code",
            ImportField::HeadName => "head_name",
            ImportField::Sex => "sex",
            ImportField::BirthYear => "birth_year",
            ImportField::Address => "address",
            ImportField::Group => "group",
            ImportField::Category => "category",
        }
    }

    /// Label.
    pub fn label(self) -> Text {
        match self {
            ImportField::Code => Text::new("Mã hộ", "Household code"),
            ImportField::HeadName => Text::new("Họ tên chủ hộ", "Head's name"),
            ImportField::Sex => Text::new("Giới tính chủ hộ", "Head's sex"),
            ImportField::BirthYear => Text::new("Năm sinh chủ hộ", "Head's birth year"),
            ImportField::Address => Text::new("Địa chỉ", "Address"),
            ImportField::Group => Text::new("Tổ dân phố", "Residential group"),
            ImportField::Category => Text::new("Phân loại năm trước", "Last year's category"),
        }
    }

    /// Whether a row needs it.
    pub fn required(self) -> bool {
        !matches!(self, ImportField::Code)
    }

    /// Folded headings that name this field.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            ImportField::Code => &["ma ho", "ma so ho", "code", "household code"],
            ImportField::HeadName => &["ho ten chu ho", "chu ho", "ho va ten", "ho ten", "head", "head name", "name"],
            ImportField::Sex => &["gioi tinh", "gioi tinh chu ho", "sex", "gender"],
            ImportField::BirthYear => &["nam sinh", "ngay sinh", "nam sinh chu ho", "birth year", "born", "birth"],
            ImportField::Address => &["dia chi", "address"],
            ImportField::Group => &["to dan pho", "to", "thon", "to/thon", "group", "residential group"],
            ImportField::Category => &["phan loai", "loai ho", "hang ho", "category", "phan loai nam truoc"],
        }
    }
}

/// For each of [`ImportField::ALL`], the column whose heading names it, if any.
pub fn guess_mapping(headings: &[String]) -> Vec<Option<usize>> {
    let folded: Vec<String> = headings.iter().map(|h| search_key(h.trim())).collect();
    ImportField::ALL
        .iter()
        .map(|f| {
            let exact = folded.iter().position(|h| f.synonyms().contains(&h.as_str()));
            exact.or_else(|| folded.iter().position(|h| f.synonyms().iter().any(|s| s.len() > 3 && h.contains(s))))
        })
        .collect()
}

/// Reads a category as lists write it ("Hộ nghèo", "cận nghèo", "poor", …).
pub fn parse_category(text: &str) -> Option<Category> {
    let t = search_key(text.trim()).replace(['-', '_'], " ");
    let t = t.strip_prefix("ho ").unwrap_or(&t).trim().to_owned();
    match t.as_str() {
        "ngheo" | "poor" | "hn" => Some(Category::Poor),
        "can ngheo" | "near poor" | "hcn" => Some(Category::NearPoor),
        "co muc song trung binh" | "muc song trung binh" | "trung binh" | "average" => Some(Category::Average),
        "khong thuoc dien" | "not poor" => Some(Category::NotPoor),
        _ => None,
    }
}

fn parse_sex(text: &str) -> Option<&'static str> {
    match search_key(text.trim()).as_str() {
        "nam" | "male" | "m" | "1" => Some("male"),
        "nu" | "female" | "f" | "2" => Some("female"),
        _ => None,
    }
}

/// The year of `text`: a year ("1975", "1975.0") or a date containing one.
fn parse_year(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(f) = t.parse::<f64>()
        && f.fract() == 0.0
        && (1850.0..=2200.0).contains(&f)
    {
        return Some(f as i64);
    }
    t.split(|c: char| !c.is_ascii_digit()).find(|p| p.len() == 4).and_then(|p| p.parse().ok())
}

/// Where the imported households are and when.
#[derive(Debug, Clone)]
pub struct ImportContext {
    /// Province code.
    pub province: String,
    /// Commune code.
    pub commune: String,
    /// The commune is urban (phường).
    pub urban: bool,
    /// The review the list is imported for.
    pub review_year: i32,
    /// Today (the record's interview date until a collector visits).
    pub today: chrono::NaiveDate,
}

/// A deterministic household id for a row: a UUID (version 8) from two 64-bit FNV-1a hashes of
/// the commune and the row's key, so re-importing the list finds the same households.
pub fn household_id_for(commune: &str, key: &str) -> Uuid {
    let fnv = |seed: u64| {
        let mut h = seed;
        for b in commune.bytes().chain([0u8]).chain(key.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    };
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&fnv(0xcbf2_9ce4_8422_2325).to_be_bytes());
    bytes[8..].copy_from_slice(&fnv(0x8422_2325_cbf2_9ce4).to_be_bytes());
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// A row as a household record, or every problem with it (bilingual). The record is checked
/// with [`crate::validate::check_json`].
pub fn row_to_household(row: &[String], mapping: &[Option<usize>], ctx: &ImportContext) -> Result<Value, Vec<Text>> {
    let cell = |f: ImportField| {
        let i = ImportField::ALL.iter().position(|x| *x == f)?;
        mapping
            .get(i)
            .copied()
            .flatten()
            .and_then(|c| row.get(c))
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let mut problems = Vec::new();
    for f in ImportField::ALL.iter().filter(|f| f.required()) {
        if cell(*f).is_none() {
            let l = f.label();
            problems
                .push(Text::new(format!("Thiếu {}", l.vi.to_lowercase()), format!("Missing {}", l.en.to_lowercase())));
        }
    }
    let category = cell(ImportField::Category).map(|c| (parse_category(&c), c));
    if let Some((None, raw)) = &category {
        problems.push(Text::new(format!("Phân loại không rõ: {raw:?}"), format!("Unknown category: {raw:?}")));
    }
    let sex = cell(ImportField::Sex).map(|s| (parse_sex(&s), s));
    if let Some((None, raw)) = &sex {
        problems.push(Text::new(format!("Giới tính không rõ: {raw:?}"), format!("Unknown sex: {raw:?}")));
    }
    let year = cell(ImportField::BirthYear).map(|y| (parse_year(&y), y));
    if let Some((None, raw)) = &year {
        problems.push(Text::new(format!("Năm sinh không rõ: {raw:?}"), format!("Unreadable birth year: {raw:?}")));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let name = cell(ImportField::HeadName).unwrap_or_default();
    let address = cell(ImportField::Address).unwrap_or_default();
    let code = cell(ImportField::Code);
    let key = code.clone().unwrap_or_else(|| format!("{}|{}", search_key(&name), search_key(&address)));
    let id = household_id_for(&ctx.commune, &key);
    let member_id = household_id_for(&ctx.commune, &format!("{key}|head"));
    let mut record = json!({
        "household_id": id.to_string(),
        "area": {"province": ctx.province, "commune": ctx.commune, "group": cell(ImportField::Group), "urban": ctx.urban},
        "address": address,
        "review_year": ctx.review_year,
        "interview_date": ctx.today.to_string(),
        "members": [{
            "member_id": member_id.to_string(), "full_name": name, "sex": sex.and_then(|s| s.0),
            "birth_year": year.and_then(|y| y.0), "relation": "head",
            "work": null, "health_insurance": null, "education": null, "in_school": null, "school_level_ok": null
        }],
        "dwelling": {"walls": null, "columns": null, "roof": null, "floor_area_m2": null},
        "water_source": null, "latrine": null, "internet_use": null,
        "info_devices": {"tv": null, "radio": null, "computer": null, "smartphone": null, "tablet": null, "loudspeaker_reach": null},
        "income": {},
        "previous": {"category": category.and_then(|c| c.0).map(Category::as_code)},
        "measurements": []
    });
    if let Some(code) = code {
        record["code"] = json!(code);
    }
    let (household, issues) = crate::validate::check_json(&record, ctx.today);
    let errors: Vec<Text> = issues.iter().filter(|i| i.is_error()).map(|i| i.message.clone()).collect();
    match household {
        Some(_) if errors.is_empty() => Ok(record),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ImportContext {
        ImportContext {
            province: "56".into(),
            commune: "22366".into(),
            urban: true,
            review_year: 2026,
            today: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"),
        }
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headings_in_vietnamese_or_english_find_their_fields() {
        let m = guess_mapping(&strings(&[
            "STT",
            "Mã hộ",
            "Họ và tên chủ hộ",
            "Giới tính",
            "Năm sinh",
            "Địa chỉ",
            "Tổ dân phố",
            "Phân loại",
        ]));
        assert_eq!(m, vec![Some(1), Some(2), Some(3), Some(4), Some(5), Some(6), Some(7)]);
        let m = guess_mapping(&strings(&["code", "name", "sex", "birth year", "address", "group", "category"]));
        assert_eq!(m, (0..7).map(Some).collect::<Vec<_>>());
    }

    #[test]
    fn a_row_becomes_a_valid_listed_household_and_the_same_row_the_same_id() {
        let m: Vec<Option<usize>> = (0..7).map(Some).collect();
        let row = strings(&["PT-05-001", "Trần Văn Hùng", "Nam", "1979", "12 đường số 3", "TDP-05", "Hộ nghèo"]);
        let a = row_to_household(&row, &m, &ctx()).expect("valid");
        let b = row_to_household(&row, &m, &ctx()).expect("valid");
        assert_eq!(a["household_id"], b["household_id"]);
        assert_eq!(a["previous"]["category"], "poor");
        assert_eq!(a["members"][0]["sex"], "male");
        assert_eq!(parse_category("cận nghèo"), Some(Category::NearPoor));
        assert_eq!(parse_year("02/04/1979"), Some(1979));
    }

    #[test]
    fn a_bad_row_lists_every_problem() {
        let m: Vec<Option<usize>> = (0..7).map(Some).collect();
        let row = strings(&["", "", "X", "năm ngoái", "", "TDP-05", "giàu"]);
        let problems = row_to_household(&row, &m, &ctx()).expect_err("invalid");
        assert_eq!(problems.len(), 5, "{problems:?}");
    }
}
