//! # `shared` — the Rà soát domain, once
//!
//! Everything the phone app, the sync server and the ward registry must agree on lives here,
//! exactly once: the household record of the data dictionary, its validation, the
//! multidimensional poverty standard, and the WHO growth z-scores. The crate is pure: it does no
//! IO, reads no clock and touches no file system; callers pass `today` and the reference date in.
//! The WHO tables are compiled into the binary (`include_str!`), so a phone computes offline.
//!
//! ## Layout
//!
//! - [`text`] — bilingual (Vietnamese first, English) user-facing text.
//! - [`issue`] — validation problems: field path, severity (error / warning), message.
//! - [`age`] — completed years and months on a date, as the standard counts them.
//! - [`model`] — the household record of `data-dictionary.md`: newtypes, codes, the lenient JSON
//!   reader that reports every problem at once, and serde JSON in the dictionary's form.
//! - [`validate`] — every rule of the dictionary's "Validation" section, errors vs warnings.
//! - [`growth`] — WHO 2006 standards / 2007 reference LMS z-scores (HAZ, WAZ, WHZ, BAZ), flags,
//!   classification cut-offs.
//! - [`poverty`] — versioned rule sets (`VN-2022`, provisional `VN-2027`), the 12 indicators,
//!   the income condition, categories, B2 score, transitions between review years.
//! - [`doc`] — the household as an Automerge document: the one owner of the key layout,
//!   conflicts, changed paths.
//! - [`sync_wire`] — the byte format of the batch sync protocol (`docs/sync-protocol.md`).
//! - [`access`] — roles, and which fields each role may change.
//! - [`answers`] — the question each field asks and its answer in words (app and registry).
//! - [`replica`] — a device's documents and its side of the sync exchange (pure state).
//! - [`survey`] — the app's survey steps and which questions apply to which member.
//! - [`review`] — the annual review's steps for a household (§7) and the meeting's 50 % rule.
//! - [`plan`] — the ward plan's targets (§9) and how they are measured.
//! - [`report`] — the report tables of §8: rows, columns, shares, headings.
//! - [`import`] — last year's list from a spreadsheet: column mapping, row → household record.

pub mod access;
pub mod age;
pub mod answers;
pub mod doc;
pub mod growth;
pub mod import;
pub mod issue;
pub mod model;
pub mod plan;
pub mod poverty;
pub mod replica;
pub mod report;
pub mod review;
pub mod survey;
pub mod sync_wire;
pub mod text;
pub mod validate;

mod testing;
