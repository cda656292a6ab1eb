//! Tests of tables 8–11 and 14–15: the readings of the target groups, ethnicity folded, several
//! causes, the children's ages at the rules' edges, and the detailed list's layout.

use serde_json::{Value, json};

use super::*;
use crate::poverty::{PovertyStandard, Status, classify_household};
use crate::testing::*;
use crate::text::Lang;

fn standing(previous: Option<Category>, current: Option<Category>, relapsed: bool, households: i64) -> StandingCount {
    StandingCount { previous, current, relapsed, households }
}

#[test]
fn year_changes_follow_each_household_and_add_up() {
    use Category::*;
    let counts = vec![
        standing(Some(Poor), Some(Poor), false, 10),
        standing(Some(Poor), Some(NearPoor), false, 3),
        standing(Some(Poor), Some(NotPoor), false, 2),
        standing(Some(Poor), Some(Undetermined), false, 1),
        standing(Some(Poor), None, false, 1),
        standing(Some(NearPoor), Some(Poor), false, 4),
        standing(Some(NearPoor), Some(NearPoor), false, 6),
        standing(Some(NearPoor), Some(Average), false, 5),
        standing(None, Some(Poor), false, 2),
        standing(Some(NotPoor), Some(Poor), true, 1),
        standing(None, Some(NearPoor), false, 7),
        standing(Some(Undetermined), Some(NearPoor), false, 1),
        standing(Some(Average), Some(Average), false, 50),
    ];
    let poor = year_changes(Poor, &counts);
    assert_eq!(
        poor,
        YearChanges {
            start: 17,
            escaped: 5,
            worsened: 0,
            undetermined: 2,
            fell_in: 6,
            relapsed: 1,
            improved_in: 0,
            end: 17
        }
    );
    let near = year_changes(NearPoor, &counts);
    assert_eq!(
        near,
        YearChanges {
            start: 15,
            escaped: 5,
            worsened: 4,
            undetermined: 0,
            fell_in: 8,
            relapsed: 0,
            improved_in: 3,
            end: 17
        }
    );
    for t in [poor, near] {
        assert_eq!(t.end, t.start - t.escaped - t.worsened - t.undetermined + t.fell_in + t.relapsed + t.improved_in);
    }
    assert_eq!(year_changes(Poor, &[]).percent_of_start(0), None);
    assert_eq!(year_changes(Poor, &counts).percent_of_start(5).map(|p| (p * 10.0).round() / 10.0), Some(29.4));
}

#[test]
fn deprivation_shares_are_of_each_category() {
    let names = vec![(1, Text::new("Việc làm", "Employment")), (4, Text::new("BHYT", "Insurance"))];
    let rows = deprivation_table(&names, &[(1, 5), (4, 10)], 20, &[(4, 3)], 0);
    assert_eq!(rows[0].poor_percent, Some(25.0));
    assert_eq!(rows[1].poor, 10);
    assert_eq!(rows[1].near_poor_percent, None);
    assert_eq!(list_headings().len(), 10);
}

fn listed<'a>(p: &'a Params, category: Category, v: &Value) -> Listed<'a> {
    Listed { category, household: household(v), params: p }
}

fn params() -> Params {
    PovertyStandard::vn2022().params
}

/// `comfortable()` (a man born 1980-01-15, wage work with a contract, interviewed 2026-10-05)
/// with the head's `field` set.
fn head_with(field: &str, value: Value) -> Value {
    set(comfortable(), &format!("/members/0/{field}"), value)
}

fn no_capacity(v: &Value) -> bool {
    let h = household(v);
    no_working_capacity(&h, h.interview_date, &params())
}

#[test]
fn no_working_capacity_needs_every_working_age_member_unable() {
    assert!(!no_capacity(&comfortable()), "the head works");
    assert!(no_capacity(&head_with("work", json!("unable_to_work"))));
    let severe = head_with("disability", json!("severe"));
    assert!(no_capacity(&severe), "a severe disability");
    assert!(no_capacity(&head_with("disability", json!("especially_severe"))));
    assert!(!no_capacity(&head_with("disability", json!("mild"))), "a mild disability does not");
    assert!(!no_capacity(&head_with("work", Value::Null)), "unanswered work is not inability");
    // A 15-year-old (working age from 15, indicator 1) who can work gives the household capacity;
    // one day short of 15 they do not.
    let with_teen = |birth: &str| {
        let mut teen = member(7, "Lê Văn Tùng", "male", birth, "child");
        teen["work"] = json!("student");
        push(head_with("work", json!("unable_to_work")), "/members", teen)
    };
    assert!(!no_capacity(&with_teen("2011-10-05")), "15 on the reference date");
    assert!(no_capacity(&with_teen("2011-10-06")), "14 years");
}

#[test]
fn a_household_with_no_member_of_working_age_has_no_working_capacity() {
    // A man of 62 (past 61 y 6 m, the 2026 retirement age) who still works, and a grandchild.
    let v = head_with("birth_date", json!("1964-01-15"));
    let v = push(v, "/members", member(8, "Lê Thị Na", "female", "2016-03-01", "grandchild"));
    assert!(no_capacity(&v));
}

fn minority(ethnicity: Option<&str>) -> bool {
    let v = match ethnicity {
        Some(e) => head_with("ethnicity", json!(e)),
        None => comfortable(),
    };
    ethnic_minority(&household(&v))
}

#[test]
fn ethnic_minority_is_the_heads_ethnicity_when_recorded_and_not_kinh() {
    assert!(!minority(None), "not recorded: not counted");
    for kinh in ["Kinh", "kinh", " KINH ", "Kinh "] {
        assert!(!minority(Some(kinh)), "{kinh:?}");
    }
    for other in ["Raglai", "Ê Đê", "Chăm", "Khmer"] {
        assert!(minority(Some(other)), "{other}");
    }
    // The spouse's ethnicity does not make the household's.
    let mut spouse = member(9, "Ka Thị Hoa", "female", "1982-02-02", "spouse");
    spouse["ethnicity"] = json!("Raglai");
    let v = push(head_with("ethnicity", json!("Kinh")), "/members", spouse);
    assert!(!ethnic_minority(&household(&v)));
    assert_eq!(ethnicity_key(" Ê  Đê "), "e de");
}

#[test]
fn target_groups_count_each_list_and_a_household_in_several_groups() {
    let p = params();
    let merit = set(head_with("person_of_merit", json!(true)), "/members/0/ethnicity", json!("Chăm"));
    let unable = head_with("work", json!("unable_to_work"));
    let households = vec![
        listed(&p, Category::Poor, &merit),
        listed(&p, Category::Poor, &unable),
        listed(&p, Category::Poor, &comfortable()),
        listed(&p, Category::NearPoor, &head_with("person_of_merit", json!(false))),
        listed(&p, Category::NearPoor, &head_with("ethnicity", json!("kinh"))),
    ];
    let t = target_groups(&households);
    assert_eq!(t.lists, PerList { poor: 3, near_poor: 2 });
    let counts: Vec<(&str, i64, i64)> =
        t.rows.iter().map(|r| (r.label.vi.as_str(), r.households.poor, r.households.near_poor)).collect();
    assert_eq!(
        counts,
        vec![
            ("Hộ không có khả năng lao động", 1, 0),
            ("Hộ có người có công với cách mạng", 1, 0),
            ("Hộ dân tộc thiểu số", 1, 0),
        ]
    );
    let (poor, near) = t.rows[0].households.shares(t.lists);
    assert_eq!((poor.map(|p| (p * 10.0).round() / 10.0), near), (Some(33.3), Some(0.0)));
    assert_eq!(target_groups(&[]).lists.total(), 0);
    assert_eq!(PerList::default().shares(PerList::default()), (None, None));
}

#[test]
fn ethnicities_are_grouped_folded_and_unrecorded_heads_counted_apart() {
    let p = params();
    let with = |e: &str| head_with("ethnicity", json!(e));
    let households = vec![
        listed(&p, Category::Poor, &with("Kinh")),
        listed(&p, Category::NearPoor, &with("kinh")),
        listed(&p, Category::NearPoor, &with("Kinh")),
        listed(&p, Category::Poor, &with("Raglai")),
        listed(&p, Category::Poor, &comfortable()),
        listed(&p, Category::NearPoor, &with(" KINH ")),
        listed(&p, Category::NearPoor, &comfortable()),
    ];
    let t = by_ethnicity(&households);
    let rows: Vec<(&str, i64, i64)> =
        t.rows.iter().map(|r| (r.label.vi.as_str(), r.households.poor, r.households.near_poor)).collect();
    assert_eq!(rows, vec![("Kinh", 1, 3), ("Raglai", 1, 0), ("Chưa ghi", 1, 1)], "named by the most frequent spelling");
    let total: i64 = t.rows.iter().map(|r| r.households.total()).sum();
    assert_eq!(total, t.lists.total(), "each household in exactly one row");
    let empty = by_ethnicity(&[]);
    assert_eq!(empty.rows.len(), 1, "only the unrecorded row");
}

#[test]
fn a_household_citing_several_causes_counts_under_each_once() {
    let p = params();
    let causes = |c: Value| set(comfortable(), "/causes_of_poverty", c);
    let households = vec![
        listed(&p, Category::Poor, &causes(json!(["no_land", "illness", "no_land"]))),
        listed(&p, Category::Poor, &causes(json!(["illness"]))),
        listed(&p, Category::NearPoor, &causes(json!(["no_capital"]))),
        listed(&p, Category::NearPoor, &causes(json!([]))),
        listed(&p, Category::Poor, &comfortable()),
    ];
    let t = by_cause(&households);
    assert_eq!(t.rows.len(), 10);
    let row = |vi: &str| t.rows.iter().find(|r| r.label.vi == vi).map(|r| r.households).expect(vi);
    assert_eq!(row("Không có đất sản xuất"), PerList { poor: 1, near_poor: 0 });
    assert_eq!(row("Ốm đau, bệnh nặng"), PerList { poor: 2, near_poor: 0 });
    assert_eq!(row("Không có vốn"), PerList { poor: 0, near_poor: 1 });
    assert_eq!(row("Tai nạn"), PerList::default());
    assert_eq!(row("Không ghi nguyên nhân"), PerList { poor: 1, near_poor: 1 });
    assert_eq!(row("Ốm đau, bệnh nặng").shares(t.lists).0.map(|p| (p * 10.0).round() / 10.0), Some(66.7));
}

/// A child of `comfortable()` born on `birth`.
fn child(n: u32, birth: &str, insured: Option<bool>, in_school: Option<bool>, reported: Option<bool>) -> Value {
    let mut c = member(n, &format!("Lê Bé {n}"), "female", birth, "child");
    c["health_insurance"] = json!(insured);
    c["in_school"] = json!(in_school);
    c["school_level_ok"] = json!(in_school);
    c["work"] = json!("child");
    c["education"] = json!("none");
    if let Some(r) = reported {
        c["malnourished_reported"] = json!(r);
    }
    c
}

#[test]
fn children_are_judged_by_the_indicators_own_rules_at_their_edges() {
    let p = params();
    // Interviewed 2026-10-05.
    let mut v = comfortable();
    for c in [
        child(11, "2020-10-05", Some(false), Some(true), Some(false)), // exactly 6: no card counts
        child(12, "2020-10-06", Some(false), Some(true), Some(false)), // 5: the card rule does not apply
        child(13, "2010-10-05", Some(false), Some(false), Some(true)), // exactly 16: not a child
        child(14, "2010-10-06", Some(true), Some(false), None),        // 15: out of school, nutrition unknown
        child(15, "2024-01-01", None, None, Some(true)),               // 2: reported malnourished
    ] {
        v = push(v, "/members", c);
    }
    // A stunted 4-year-old: 90 cm at 47 months (girls' median ≈ 102 cm), and reported fine — the
    // measurement decides.
    v = push(v, "/members", child(16, "2022-10-05", Some(true), Some(true), Some(false)));
    v = push(
        v,
        "/measurements",
        json!({"measurement_id": "0193a5a2-7c1e-7b7a-9a55-0c0ffee20001", "member_id": "0193a5a2-7c1e-7b7a-9a55-000000000016",
               "measured_on": "2026-09-01", "weight_kg": 13.0, "lenhei_cm": 90.0, "measure": "H", "oedema": false}),
    );
    let poor = listed(&p, Category::Poor, &v);
    let classification = classify_household(&poor.household, &PovertyStandard::vn2022(), poor.reference());
    assert_eq!(
        classification.indicators[2].status,
        Status::Deprived,
        "indicator 3 agrees: {:?}",
        classification.indicators[2]
    );
    let near = listed(
        &p,
        Category::NearPoor,
        &push(comfortable(), "/members", child(17, "2019-01-01", Some(true), Some(true), None)),
    );
    let households = vec![poor, near];
    let t = child_deprivations(&households, Some(Category::Poor));
    assert_eq!(t.children, 5, "under 16: aged 6, 5, 15, 2 and 4");
    assert_eq!(t.insurance, ChildCount { applies: 2, deprived: 1, unknown: 0 }, "aged 6 and 15");
    assert_eq!(t.nutrition, ChildCount { applies: 5, deprived: 2, unknown: 1 }, "the 2- and the 4-year-old");
    assert_eq!(t.schooling, ChildCount { applies: 4, deprived: 1, unknown: 0 }, "aged 3–15: 6, 5, 15 and 4");
    assert_eq!(t.insurance.percent(), Some(50.0));
    let n = child_deprivations(&households, Some(Category::NearPoor));
    assert_eq!((n.children, n.nutrition.unknown, n.nutrition.percent()), (1, 1, Some(0.0)));
    let both = child_deprivations(&households, None);
    assert_eq!(both.children, 6);
    assert_eq!(ChildCount::default().percent(), None);
}

#[test]
fn detailed_lists_put_each_household_over_its_members_head_first() {
    let p = params();
    // The head recorded after their child; a person of merit; a birth year only.
    let mut v = example();
    let members = v["members"].as_array().cloned().expect("members");
    v["members"] = json!([members[1], members[0]]);
    v["members"][1]["person_of_merit"] = json!(true);
    v["members"][1]["ethnicity"] = json!("Kinh");
    v["members"][1]["id_number"] = json!("056079000123");
    let mut grandma = member(20, "Nguyễn Thị Lan", "female", "1950-01-01", "parent");
    grandma.as_object_mut().expect("object").remove("birth_date");
    grandma["birth_year"] = json!(1950);
    let v = push(v, "/members", grandma);
    let households = vec![
        listed(&p, Category::NearPoor, &comfortable()),
        listed(&p, Category::Poor, &v),
        listed(&p, Category::Poor, &comfortable()),
    ];
    let lines = member_lines(&households, Category::Poor, Lang::Vi);
    assert_eq!(lines.len(), 4, "three members, then one");
    let first = lines[0].household.as_ref().expect("the household's columns on its first line");
    assert_eq!(
        (first.number, first.code.as_str(), first.head.as_str(), first.group.as_str()),
        (1, "PT-05-012", "Trần Văn Hùng", "TDP-05")
    );
    assert!(lines[1].household.is_none() && lines[2].household.is_none());
    assert_eq!(lines[3].household.as_ref().map(|h| h.number), Some(2));
    let headings = member_list_headings();
    assert_eq!(headings.len(), 6 + lines[0].cells.len());
    let col = |line: usize, heading: &str| {
        let i = headings.iter().position(|h| h.vi == heading).expect(heading) - 6;
        lines[line].cells[i].clone()
    };
    assert_eq!(col(0, "Họ tên thành viên"), "Trần Văn Hùng");
    assert_eq!(col(0, "Quan hệ với chủ hộ"), "Chủ hộ");
    assert_eq!(col(0, "Ngày sinh / năm sinh"), "02/04/1979");
    assert_eq!(col(0, "Người có công"), "Có");
    assert_eq!(col(0, "Số CCCD"), "056079000123");
    assert_eq!(col(0, "Việc làm"), "Làm công ăn lương không có hợp đồng");
    assert_eq!(col(1, "Họ tên thành viên"), "Trần Thị Bé");
    assert_eq!((col(1, "Thẻ BHYT"), col(1, "Đang đi học"), col(1, "Tuổi")), ("Không".into(), "Có".into(), "7".into()));
    assert_eq!((col(1, "Người có công"), col(1, "Dân tộc")), (String::new(), String::new()), "absent: blank");
    assert_eq!((col(2, "Ngày sinh / năm sinh"), col(2, "Tuổi")), ("1950".into(), "76".into()));
    assert_eq!(col(2, "Việc làm"), "", "unanswered: blank");
    assert_eq!(lines.iter().map(|l| l.member_number).collect::<Vec<_>>(), vec![1, 2, 3, 1]);
    assert_eq!(member_lines(&households, Category::NearPoor, Lang::En)[0].cells[1], "household head");
}
