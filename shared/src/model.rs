//! The household record of `data-dictionary.md`: types, codes, and the JSON interchange form.
//!
//! - [`household`] — the record's types ([`Household`], [`Member`], [`Measurement`], …).
//! - [`codes`] — the dictionary's code lists, with labels.
//! - [`ids`] and [`units`] — newtypes whose constructors apply the dictionary's ranges.
//! - [`reader`] — JSON → household, reporting every problem with its field path.
//!
//! Serialising a [`Household`] gives the dictionary's JSON form; deserialising goes through the
//! lenient reader and rejects any record with an error.

pub mod anthropometry;
pub mod codes;
pub mod household;
pub mod ids;
pub mod reader;
pub mod units;

pub use codes::*;
pub use household::*;
pub use ids::*;
pub use reader::{parse_date, read_household, read_household_json};
pub use units::*;

impl<'de> serde::Deserialize<'de> for Household {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        let (household, issues) = read_household(&value);
        let errors: Vec<String> =
            issues.iter().filter(|i| i.is_error()).map(|i| format!("{}: {}", i.path, i.message.en)).collect();
        match household {
            Some(h) if errors.is_empty() => Ok(h),
            _ => Err(serde::de::Error::custom(errors.join("; "))),
        }
    }
}
