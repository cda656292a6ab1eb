//! Test fixtures shared by the crate's unit tests: the dictionary's worked example and small
//! JSON patch helpers, so each test states only what differs from the example.

#![cfg(test)]

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::model::Household;
use crate::validate::check_json;

/// "Today" in tests: fixed, never the clock.
pub fn today() -> NaiveDate {
    date("2026-11-29")
}

/// A date from `YYYY-MM-DD`.
pub fn date(s: &str) -> NaiveDate {
    crate::model::parse_date(s).expect("test date is valid")
}

/// The worked example of `data-dictionary.md`, verbatim.
pub fn example() -> Value {
    json!({"household_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00001","code":"PT-05-012",
     "area":{"province":"56","commune":"22366","group":"TDP-05","urban":true},
     "address":"12 đường số 3, tổ 5","review_year":2026,"interview_date":"2026-10-05",
     "members":[
      {"member_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00002","full_name":"Trần Văn Hùng","sex":"male","birth_date":"1979-04-02","relation":"head","work":"wage_without_contract","health_insurance":true,"education":"lower_secondary","in_school":false},
      {"member_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00003","full_name":"Trần Thị Bé","sex":"female","birth_date":"2019-08-20","relation":"child","work":"child","health_insurance":false,"education":"none","in_school":true,"school_level_ok":true}],
     "dwelling":{"walls":"durable","columns":"durable","roof":"non_durable","floor_area_m2":14.0},
     "water_source":"piped","latrine":"simple_pit","internet_use":true,
     "info_devices":{"tv":true,"radio":false,"computer":false,"smartphone":true,"tablet":false,"loudspeaker_reach":true},
     "income":{"monthly_per_capita_vnd":1800000,"source":"declared"},
     "measurements":[{"measurement_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00004","member_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee00003","measured_on":"2026-09-30","weight_kg":22.0,"lenhei_cm":121.0,"measure":"H","oedema":false}]})
}

/// A deprivation-free, well-off adult household: every indicator answered "not deprived".
/// One head, born 1980, wage work with a contract, insured, university; durable 60 m² house.
pub fn comfortable() -> Value {
    json!({"household_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee10001",
     "area":{"province":"56","commune":"22366","group":"TDP-01","urban":true},
     "address":"1 đường số 1","review_year":2026,"interview_date":"2026-10-05",
     "members":[
      {"member_id":"0193a5a2-7c1e-7b7a-9a55-0c0ffee10002","full_name":"Lê Văn An","sex":"male","birth_date":"1980-01-15","relation":"head","work":"wage_with_contract","health_insurance":true,"education":"university","in_school":false}],
     "dwelling":{"walls":"durable","columns":"durable","roof":"durable","floor_area_m2":60.0},
     "water_source":"piped","latrine":"septic","internet_use":true,
     "info_devices":{"tv":true,"radio":false,"computer":false,"smartphone":true,"tablet":false,"loudspeaker_reach":true},
     "income":{"monthly_per_capita_vnd":1000000},
     "measurements":[]})
}

/// Sets the value at a JSON pointer (`/members/0/work`), creating the last key if needed.
pub fn set(mut v: Value, pointer: &str, new: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("pointer has a slash");
    let target = v.pointer_mut(parent).unwrap_or_else(|| panic!("no parent at {parent}"));
    match target {
        Value::Object(map) => {
            map.insert(key.to_owned(), new);
        }
        Value::Array(items) => {
            let index: usize = key.parse().expect("array index");
            items[index] = new;
        }
        other => panic!("cannot set {key} in {other}"),
    }
    v
}

/// Removes the value at a JSON pointer.
pub fn remove(mut v: Value, pointer: &str) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("pointer has a slash");
    if let Some(Value::Object(map)) = v.pointer_mut(parent) {
        map.remove(key);
    }
    v
}

/// Appends to the array at a JSON pointer.
pub fn push(mut v: Value, pointer: &str, item: Value) -> Value {
    v.pointer_mut(pointer).and_then(Value::as_array_mut).expect("array at pointer").push(item);
    v
}

/// A member with a fresh id (`n` makes it unique), born on `birth`.
pub fn member(n: u32, name: &str, sex: &str, birth: &str, relation: &str) -> Value {
    json!({"member_id": format!("0193a5a2-7c1e-7b7a-9a55-{n:012}"), "full_name": name, "sex": sex,
           "birth_date": birth, "relation": relation, "work": null, "health_insurance": true,
           "education": null, "in_school": null, "school_level_ok": null})
}

/// A household that must be valid.
pub fn household(v: &Value) -> Household {
    let (h, issues) = check_json(v, today());
    h.unwrap_or_else(|| panic!("test household is invalid: {issues:#?}"))
}
