//! The words for a household's answers: the question each field path asks and its answer in
//! words ("Tường: Bán kiên cố", not `{"walls":"non_durable"}`), Vietnamese and English — one
//! catalogue for the app's survey screens and the registry's pages, so a question reads the
//! same on the phone and on the ward's screen.

use serde_json::Value;

use crate::model::{
    Category, CauseOfPoverty, Disability, Durability, Education, IncomeSource, Latrine, Relation, Sex, Support, Tenure,
    WaterSource, Work,
};
use crate::text::Text;

/// The question a field asks, by the field's own name (the path's last key): `walls`,
/// `health_insurance`, … A path (`dwelling.walls`, `members.<id>.work`, `members.0.work`) is
/// named by its last key; `None` for a key that is no question (ids, `order`).
pub fn question(path: &str) -> Option<Text> {
    let key = path.rsplit('.').next().unwrap_or(path);
    let (vi, en) = match key {
        "code" => ("Mã hộ", "Household code"),
        "address" => ("Địa chỉ", "Address"),
        "group" => ("Tổ dân phố", "Residential group"),
        "phone" => ("Số điện thoại", "Phone"),
        "interview_date" => ("Ngày phỏng vấn", "Interview date"),
        "review_year" => ("Năm rà soát", "Review year"),
        "full_name" => ("Họ và tên", "Full name"),
        "sex" => ("Giới tính", "Sex"),
        "birth_date" => ("Ngày sinh (hoặc năm sinh)", "Birth date (or year)"),
        "birth_year" => ("Năm sinh", "Birth year"),
        "relation" => ("Quan hệ với chủ hộ", "Relation to head"),
        "id_number" => ("Số CCCD", "Citizen ID"),
        "ethnicity" => ("Dân tộc", "Ethnicity"),
        "disability" => ("Khuyết tật", "Disability"),
        "monthly_social_allowance" => ("Hưởng trợ cấp xã hội hằng tháng", "Monthly social allowance"),
        "person_of_merit" => ("Người có công với cách mạng", "Person of merit"),
        "work" => ("Việc làm chính", "Main work"),
        "health_insurance" => ("Có thẻ BHYT còn hạn", "Has a valid health-insurance card"),
        "education" => ("Trình độ cao nhất", "Highest completed"),
        "in_school" => ("Đang đi học", "In school"),
        "school_level_ok" => ("Học đúng cấp theo tuổi", "At the right level for the age"),
        "on_job_training_certified" => ("Có chứng chỉ đào tạo nghề tại nơi làm việc", "Certified on-the-job training"),
        "malnourished_reported" => ("Trạm y tế ghi nhận suy dinh dưỡng", "Malnourished per the health station"),
        "walls" => ("Tường", "Walls"),
        "columns" => ("Cột", "Columns"),
        "roof" => ("Mái", "Roof"),
        "floor_area_m2" => ("Diện tích ở (m²)", "Floor area (m²)"),
        "tenure" => ("Sở hữu nhà", "Tenure"),
        "water_source" => ("Nguồn nước sinh hoạt", "Water source"),
        "latrine" => ("Nhà tiêu", "Latrine"),
        "internet_use" => ("Có thành viên dùng Internet (12 tháng qua)", "A member used the internet (last 12 months)"),
        "tv" => ("Ti vi", "TV"),
        "radio" => ("Đài", "Radio"),
        "computer" => ("Máy tính", "Computer"),
        "smartphone" => ("Điện thoại thông minh", "Smartphone"),
        "tablet" => ("Máy tính bảng", "Tablet"),
        "loudspeaker_reach" => ("Nghe được loa truyền thanh", "Hears the loudspeaker system"),
        "monthly_per_capita_vnd" => ("Thu nhập bình quân đầu người/tháng (đồng)", "Income per person per month (đồng)"),
        "b1_score" => ("Điểm phiếu B1", "B1 score"),
        "source" => ("Nguồn số liệu thu nhập", "Income source"),
        "causes_of_poverty" => ("Nguyên nhân nghèo", "Causes of poverty"),
        "support_received" => ("Hỗ trợ đã nhận", "Support received"),
        "category" => ("Phân loại năm trước", "Last year's category"),
        "escape_date" => ("Ngày được công nhận thoát nghèo", "Escape from poverty recognised on"),
        "request_filed" => ("Hộ có đơn đề nghị rà soát", "The household filed a request"),
        "notes" => ("Ghi chú", "Notes"),
        "lat" => ("Vĩ độ", "Latitude"),
        "lon" => ("Kinh độ", "Longitude"),
        "accuracy_m" => ("Sai số vị trí (m)", "Position accuracy (m)"),
        _ => return None,
    };
    Some(Text::new(vi, en))
}

/// An answer in words: a code by its label, `true`/`false` as yes/no, `null` as not answered,
/// a list item by item; anything else as written.
pub fn answer(path: &str, value: &Value) -> Text {
    let key = path.rsplit('.').next().unwrap_or(path);
    match value {
        Value::Null => Text::new("Chưa trả lời", "Not answered"),
        Value::Bool(true) => Text::new("Có", "Yes"),
        Value::Bool(false) => Text::new("Không", "No"),
        Value::String(code) => code_answer(key, code).unwrap_or_else(|| Text::new(code.clone(), code.clone())),
        Value::Array(items) if items.is_empty() => Text::new("Không có", "None"),
        Value::Array(items) => {
            let words: Vec<Text> = items.iter().map(|v| answer(key, v)).collect();
            let join = |f: fn(&Text) -> &str| words.iter().map(f).collect::<Vec<_>>().join(", ");
            Text::new(join(|t| t.vi.as_str()), join(|t| t.en.as_str()))
        }
        other => Text::new(other.to_string(), other.to_string()),
    }
}

/// The label of a code answer to the question `key`, if the key takes codes and the code is
/// known.
pub fn code_answer(key: &str, code: &str) -> Option<Text> {
    match key {
        "sex" => Sex::from_code(code).map(Sex::label),
        "relation" => Relation::from_code(code).map(Relation::label),
        "disability" => Disability::from_code(code).map(Disability::label),
        "work" => Work::from_code(code).map(Work::label),
        "education" => Education::from_code(code).map(Education::label),
        "walls" | "columns" | "roof" => Durability::from_code(code).map(Durability::label),
        "tenure" => Tenure::from_code(code).map(Tenure::label),
        "water_source" => WaterSource::from_code(code).map(WaterSource::label),
        "latrine" => Latrine::from_code(code).map(Latrine::label),
        "source" => IncomeSource::from_code(code).map(IncomeSource::label),
        "causes_of_poverty" => CauseOfPoverty::from_code(code).map(CauseOfPoverty::label),
        "support_received" => Support::from_code(code).map(Support::label),
        "category" => Category::from_code(code).map(Category::label),
        _ => None,
    }
}

/// A household's answers outside the members, as (field path, question, answer in words), in
/// the survey's order (the dictionary's order inside `dwelling`, `info_devices`, `income`,
/// `previous`, `gps`). Absent optional fields are left out.
pub fn household_answers(record: &Value) -> Vec<(String, Text, Text)> {
    const FIELDS: [(&str, &[&str]); 14] = [
        ("dwelling", &["walls", "columns", "roof", "floor_area_m2", "tenure"]),
        ("water_source", &[]),
        ("latrine", &[]),
        ("internet_use", &[]),
        ("info_devices", &["tv", "radio", "computer", "smartphone", "tablet", "loudspeaker_reach"]),
        ("income", &["monthly_per_capita_vnd", "b1_score", "source"]),
        ("causes_of_poverty", &[]),
        ("support_received", &[]),
        ("previous", &["category", "escape_date"]),
        ("request_filed", &[]),
        ("gps", &["lat", "lon", "accuracy_m"]),
        ("phone", &[]),
        ("interview_date", &[]),
        ("notes", &[]),
    ];
    let mut out = Vec::new();
    let mut push = |path: String, value: &Value| {
        if let Some(q) = question(&path) {
            let a = answer(&path, value);
            out.push((path, q, a));
        }
    };
    for (field, keys) in FIELDS {
        match record.get(field) {
            Some(Value::Object(map)) => {
                for key in keys {
                    if let Some(value) = map.get(*key) {
                        push(format!("{field}.{key}"), value);
                    }
                }
            }
            Some(value) => push(field.to_owned(), value),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn answers_read_as_words_in_both_languages() {
        assert_eq!(question("dwelling.walls").map(|t| t.vi), Some("Tường".to_owned()));
        assert_eq!(
            question("members.0193a5a2-7c1e-7b7a-9a55-0c0ffee00002.work").map(|t| t.en),
            Some("Main work".into())
        );
        assert_eq!(question("members.0.health_insurance").map(|t| t.vi), Some("Có thẻ BHYT còn hạn".into()));
        assert_eq!(question("order"), None);
        assert_eq!(answer("dwelling.walls", &json!("non_durable")), Durability::NonDurable.label());
        assert_eq!(answer("water_source", &json!("piped")), WaterSource::Piped.label());
        assert_eq!(answer("internet_use", &json!(null)).vi, "Chưa trả lời");
        assert_eq!(answer("info_devices.tv", &json!(true)).en, "Yes");
        let causes = answer("causes_of_poverty", &json!(["no_land", "illness"]));
        assert_eq!(causes.vi, format!("{}, {}", CauseOfPoverty::NoLand.label().vi, CauseOfPoverty::Illness.label().vi));
        assert_eq!(answer("dwelling.floor_area_m2", &json!(31.5)).vi, "31.5");
        assert_eq!(answer("notes", &json!("unknown-code")).vi, "unknown-code", "free text stays as written");
    }

    #[test]
    fn a_household_lists_every_answer_it_holds_in_order() {
        let record = crate::testing::example();
        let answers = household_answers(&record);
        let paths: Vec<&str> = answers.iter().map(|(p, _, _)| p.as_str()).collect();
        assert_eq!(&paths[..3], ["dwelling.walls", "dwelling.columns", "dwelling.roof"], "the dictionary's order");
        assert!(paths.contains(&"water_source") && paths.contains(&"info_devices.smartphone"));
        assert!(paths.iter().all(|p| question(p).is_some()));
        let (_, q, a) = answers.iter().find(|(p, _, _)| p == "latrine").expect("latrine");
        assert_eq!(
            (q.vi.as_str(), a.clone()),
            (
                "Nhà tiêu",
                Latrine::from_code(record["latrine"].as_str().unwrap_or_default()).map(Latrine::label).expect("code")
            )
        );
    }
}
