//! Tests of `rasoat classify` over in-memory JSON Lines.

use serde_json::{Value, json};

use super::*;

const EXAMPLE: &str = r#"{"household_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00001","code":"PT-05-012","area":{"province":"56","commune":"22366","group":"TDP-05","urban":true},"address":"12 đường số 3, tổ 5","review_year":2026,"interview_date":"2026-10-05","members":[{"member_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00002","full_name":"Trần Văn Hùng","sex":"male","birth_date":"1979-04-02","relation":"head","work":"wage_without_contract","health_insurance":true,"education":"lower_secondary","in_school":false},{"member_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00003","full_name":"Trần Thị Bé","sex":"female","birth_date":"2019-08-20","relation":"child","work":"child","health_insurance":false,"education":"none","in_school":true,"school_level_ok":true}],"dwelling":{"walls":"durable","columns":"durable","roof":"non_durable","floor_area_m2":14.0},"water_source":"piped","latrine":"simple_pit","internet_use":true,"info_devices":{"tv":true,"radio":false,"computer":false,"smartphone":true,"tablet":false,"loudspeaker_reach":true},"income":{"monthly_per_capita_vnd":1800000,"source":"declared"},"measurements":[{"measurement_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00004","member_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00003","measured_on":"2026-09-30","weight_kg":22.0,"lenhei_cm":121.0,"measure":"H","oedema":false}]}"#;

fn options() -> Options {
    Options { standard: None, reference_date: None, today: NaiveDate::from_ymd_opt(2026, 11, 29).expect("date") }
}

/// Runs the command over `input`; returns the output objects and the rejected count.
fn check(input: &[u8], options: &Options) -> (Vec<Value>, usize) {
    let mut out = Vec::new();
    let rejected = run(input, &mut out, options).expect("in-memory i/o does not fail");
    let text = String::from_utf8(out).expect("output is UTF-8");
    (text.lines().map(|l| serde_json::from_str(l).expect("each output line is JSON")).collect(), rejected)
}

#[test]
fn the_dictionary_example_is_poor_on_1_4_8_10() {
    let (out, rejected) = check(EXAMPLE.as_bytes(), &options());
    assert_eq!(rejected, 0);
    let o = &out[0];
    assert_eq!(o["household_id"], "0193a5a2-7c1e-7b7a-9a55-0c0ffee00001");
    assert_eq!(o["standard"], "VN-2022");
    assert_eq!(o["provisional"], false);
    assert_eq!(o["category"], "poor");
    assert_eq!(o["income_condition"], true);
    assert_eq!(o["b2_score"], 40);
    assert_eq!(o["deprived_count"], 4);
    assert_eq!(o["unknown_count"], 0);
    let deprived: Vec<u64> = o["indicators"]
        .as_array()
        .expect("array")
        .iter()
        .filter(|i| i["deprived"] == true)
        .map(|i| i["number"].as_u64().expect("n"))
        .collect();
    assert_eq!(deprived, vec![1, 4, 8, 10]);
    assert_eq!(o["indicators"].as_array().map(Vec::len), Some(12));
    assert_eq!(o["indicators"][3]["reason_vi"], "Trần Thị Bé, 7 tuổi, chưa có thẻ BHYT");
    assert_eq!(o["errors"], json!([]));
}

#[test]
fn bad_lines_get_their_errors_and_the_rest_is_still_classified() {
    let bad_code = EXAMPLE.replace("\"simple_pit\"", "\"bucket\"");
    let input = format!("{EXAMPLE}\nnot json at all\n\n{bad_code}\n[1,2]\n{EXAMPLE}\n");
    let (out, rejected) = check(input.as_bytes(), &options());
    assert_eq!(rejected, 3);
    assert_eq!(out.len(), 5, "the blank line is skipped");
    assert_eq!(out.iter().map(|o| o["line"].as_u64().expect("line")).collect::<Vec<_>>(), vec![1, 2, 4, 5, 6]);
    assert_eq!(out[1]["errors"][0]["code"], "malformed_json");
    assert_eq!(out[1]["category"], Value::Null);
    assert_eq!(out[2]["household_id"], "0193a5a2-7c1e-7b7a-9a55-0c0ffee00001", "the id is reported when readable");
    assert_eq!(out[2]["errors"][0]["path"], "latrine");
    assert!(out[2]["errors"][0]["message_vi"].as_str().expect("vi").contains("bucket"));
    assert_eq!(out[3]["errors"][0]["code"], "wrong_type");
    assert_eq!(out[4]["category"], "poor");
}

#[test]
fn invalid_bytes_and_huge_lines_are_rejected_not_loaded() {
    let mut input = b"\xff\xfe garbage\n".to_vec();
    input.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 10));
    input.extend(b"\n");
    input.extend(EXAMPLE.as_bytes());
    let (out, rejected) = check(&input, &options());
    assert_eq!(rejected, 2);
    assert_eq!(out[0]["errors"][0]["code"], "not_utf8");
    assert_eq!(out[1]["errors"][0]["code"], "too_large");
    assert_eq!((out[2]["line"].as_u64(), out[2]["category"].as_str()), (Some(3), Some("poor")));
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_are_accepted() {
    let input = format!("\u{feff}{EXAMPLE}\r\n{EXAMPLE}\r\n");
    let (out, rejected) = check(input.as_bytes(), &options());
    assert_eq!((rejected, out.len()), (0, 2));
}

#[test]
fn reference_date_and_standard_can_be_chosen() {
    let opts = Options {
        reference_date: NaiveDate::from_ymd_opt(2027, 10, 5),
        standard: PovertyStandard::by_id("VN-2027"),
        ..options()
    };
    let (out, _) = check(EXAMPLE.as_bytes(), &opts);
    let o = &out[0];
    assert_eq!(o["standard"], "VN-2027");
    assert_eq!(o["provisional"], true);
    assert_eq!(o["reference_date"], "2027-10-05");
    assert_eq!(o["indicators"][3]["reason_en"], "Trần Thị Bé, 8 years, no health-insurance card");
    let codes: Vec<&str> =
        o["warnings"].as_array().expect("warnings").iter().filter_map(|w| w["code"].as_str()).collect();
    assert_eq!(codes, vec!["outside_standard"], "review year 2026 is not VN-2027's");
}
