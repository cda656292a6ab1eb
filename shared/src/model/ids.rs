//! Identifiers: UUIDs assigned on the device that creates the record, never reused.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// Parses the hyphenated UUID form of the dictionary.
            pub fn parse(s: &str) -> Result<Self, uuid::Error> {
                Uuid::try_parse(s).map($name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

uuid_id! {
    /// `household_id`: the household record's identity, also its document identity in sync.
    HouseholdId
}
uuid_id! {
    /// `member_id`: stable across edits, so concurrent edits of one member merge.
    MemberId
}
uuid_id! {
    /// `measurement_id`: one anthropometric measurement of one child.
    MeasurementId
}
