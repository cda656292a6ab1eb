//! End-to-end: the demo ward through the real `rasoat` command tree (in process), the
//! bundled WHO examples against the reference copy beside the repository, and the app's flow
//! in a real browser against a real server (`app_flow`).

#[path = "e2e/app_flow.rs"]
mod app_flow;

use server::tools::cli::{Cli, Exit, run};

fn rasoat(args: &[&str]) -> (Exit, String, String) {
    use clap::Parser;
    let cli = Cli::try_parse_from(std::iter::once("rasoat").chain(args.iter().copied())).expect("valid arguments");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit = run(cli, &mut out, &mut err);
    (exit, String::from_utf8(out).expect("utf-8"), String::from_utf8(err).expect("utf-8"))
}

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

#[test]
fn the_bundled_demo_ward_is_regenerated_exactly_by_its_command() {
    let (exit, generated, _) = rasoat(&["demo-ward", "--households", "60"]);
    assert_eq!(exit, Exit::Ok);
    let bundled = std::fs::read_to_string(format!("{ROOT}/data/demo-ward.jsonl")).expect("bundled demo ward");
    assert_eq!(generated, bundled, "data/demo-ward.jsonl is `rasoat demo-ward --households 60`");
}

#[test]
fn every_demo_household_classifies_and_the_ward_has_poor_and_near_poor() {
    let (exit, out, err) = rasoat(&["classify", &format!("{ROOT}/data/demo-ward.jsonl")]);
    assert_eq!(exit, Exit::Ok, "{err}");
    let results: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
    assert_eq!(results.len(), 60);
    for category in ["poor", "near_poor", "average", "not_poor"] {
        assert!(results.iter().any(|r| r["category"] == category), "no {category} household");
    }
    for r in &results {
        assert_eq!(r["indicators"].as_array().map(Vec::len), Some(12));
        let deprived = r["indicators"].as_array().expect("array").iter().filter(|i| i["deprived"] == true).count();
        assert_eq!(r["b2_score"], 10 * deprived, "B2 = 10 × D");
    }
}

#[test]
fn the_bundled_who_tables_are_the_reference_copies() {
    let reference = format!("{ROOT}/../shared/data/who-growth");
    let Ok(entries) = std::fs::read_dir(&reference) else {
        panic!("the reference folder {reference} is beside the repository on every machine of this project");
    };
    let mut compared = 0;
    for entry in entries {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "csv") {
            let name = path.file_name().expect("name").to_string_lossy().into_owned();
            let ours = std::fs::read(format!("{ROOT}/shared/data/who-growth/{name}")).expect("bundled copy");
            assert!(ours == std::fs::read(&path).expect("reference"), "{name} differs from the reference");
            compared += 1;
        }
    }
    assert_eq!(compared, 9, "eight LMS tables and the examples");
}

#[test]
fn anthro_over_the_examples_exits_cleanly() {
    let (exit, out, err) = rasoat(&["anthro", &format!("{ROOT}/shared/data/who-growth/examples.csv")]);
    assert_eq!(exit, Exit::Ok, "{err}");
    assert_eq!(out.lines().count(), 24);
}
