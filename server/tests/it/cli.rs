//! The `rasoat` binary as a user runs it: real process, real files, exit codes and stderr.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/who-growth/examples.csv");
const DEMO_WARD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/demo-ward.jsonl");

fn rasoat(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rasoat"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rasoat starts");
    child.stdin.take().expect("stdin piped").write_all(stdin).expect("stdin written");
    child.wait_with_output().expect("rasoat finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

#[test]
fn anthro_reproduces_the_who_examples_byte_for_byte() {
    let expected = std::fs::read_to_string(EXAMPLES).expect("examples.csv");
    let out = rasoat(&["anthro", EXAMPLES], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), expected);
}

#[test]
fn anthro_reports_a_bad_row_with_line_and_column_and_exits_1() {
    let input = "sex,dob,measure_date,weight_kg,lenhei_cm,measure,oedema\n\
                 1,2024-01-01,2026-01-01,12.0,86.0,H,n\n\
                 2,2024-01-01,2026-01-01,abc,86.0,H,n\n\
                 2,2024-01-01,2026-01-01,11.5,85.0,H,n\n";
    let out = rasoat(&["anthro"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("line 3") && stderr.contains("weight_kg"), "{stderr}");
    assert_eq!(text(&out.stdout).lines().count(), 3, "header and the two good rows");
}

#[test]
fn anthro_without_required_columns_cannot_run() {
    let out = rasoat(&["anthro"], b"name,weight\nAn,12\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("sex"), "{}", text(&out.stderr));
}

#[test]
fn classify_writes_one_object_per_line_and_exits_1_on_a_bad_line() {
    let good = std::fs::read_to_string(DEMO_WARD).expect("demo ward");
    let first = good.lines().next().expect("a line");
    let input = format!("{first}\n{{\"household_id\": 5}}\n");
    let out = rasoat(&["classify"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        text(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0]["category"].is_string());
    assert!(!lines[1]["errors"].as_array().expect("errors").is_empty());
}

#[test]
fn classify_summary_of_the_demo_ward_is_readable() {
    let out = rasoat(&["classify", "--summary", DEMO_WARD], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    assert!(summary.contains("Số hộ / households: 60"), "{summary}");
    assert!(summary.contains("Hộ nghèo / poor"));
}

#[test]
fn unknown_standard_and_bad_dates_are_refused_clearly() {
    let out = rasoat(&["classify", "--standard", "VN-1999"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("VN-2022"), "lists the known standards");
    let out = rasoat(&["classify", "--reference-date", "2026-02-30"], b"");
    assert_eq!(out.status.code(), Some(2), "clap rejects the date");
    let out = rasoat(&["classify", "/no/such/file.jsonl"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/no/such/file.jsonl"));
}
