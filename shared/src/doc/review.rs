//! The review record inside the household document (schema 1, additive): the root key
//! `review` holds a map written only by ward staff through the registry — `status` (a
//! [`ReviewStatus`] code), `comment` (what the collector must check again, shown on the phone),
//! `agreement_percent` (Int, the meeting's share), `by` (user id) and `at` (RFC 3339). It is not
//! a dictionary field: [`super::to_json`] leaves it out and [`super::write_household`] keeps it,
//! so a phone rewriting the household never erases a review step it has not seen.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ReadDoc, ScalarValue, Value as AmValue};

use super::DocError;
use crate::review::ReviewStatus;

/// The root key of the review map.
pub(super) const REVIEW_KEY: &str = "review";

/// A household's review step as the document records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocReview {
    /// The status.
    pub status: ReviewStatus,
    /// Comment for the collector (a return for re-visit).
    pub comment: Option<String>,
    /// The meeting's agreement share, percent.
    pub agreement_percent: Option<i64>,
    /// Who took the step (user id).
    pub by: Option<String>,
    /// When (RFC 3339).
    pub at: Option<String>,
}

/// The review record, if ward staff have taken a step (an unreadable one reads as none).
pub fn review_of(doc: &impl ReadDoc) -> Option<DocReview> {
    let Ok(Some((AmValue::Object(ObjType::Map), obj))) = doc.get(automerge::ROOT, REVIEW_KEY) else { return None };
    let scalar = |key: &str| match doc.get(&obj, key) {
        Ok(Some((AmValue::Scalar(s), _))) => Some(s.into_owned()),
        _ => None,
    };
    let text = |key: &str| match scalar(key) {
        Some(ScalarValue::Str(s)) => Some(s.to_string()),
        _ => None,
    };
    let status = ReviewStatus::from_code(&text("status")?)?;
    let agreement_percent = match scalar("agreement_percent") {
        Some(ScalarValue::Int(i)) => Some(i),
        _ => None,
    };
    Some(DocReview { status, comment: text("comment"), agreement_percent, by: text("by"), at: text("at") })
}

/// Writes the review record (each field a fresh put, so it supersedes what it has seen).
/// Does not commit.
pub fn set_review(doc: &mut AutoCommit, review: &DocReview) -> Result<(), DocError> {
    let obj = match doc.get(automerge::ROOT, REVIEW_KEY)? {
        Some((AmValue::Object(ObjType::Map), id)) => id,
        _ => doc.put_object(automerge::ROOT, REVIEW_KEY, ObjType::Map)?,
    };
    doc.put(&obj, "status", review.status.as_code())?;
    let text = |v: &Option<String>| v.as_deref().map_or(ScalarValue::Null, |s| ScalarValue::Str(s.into()));
    doc.put(&obj, "comment", text(&review.comment))?;
    doc.put(&obj, "agreement_percent", review.agreement_percent.map_or(ScalarValue::Null, ScalarValue::Int))?;
    doc.put(&obj, "by", text(&review.by))?;
    doc.put(&obj, "at", text(&review.at))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{new_document, to_json, write_household};

    #[test]
    fn the_review_survives_a_phone_rewriting_the_household_and_stays_out_of_the_record() {
        let h = crate::testing::household(&crate::testing::example());
        let mut doc = new_document(&h, automerge::ActorId::random()).expect("doc");
        let review = DocReview {
            status: ReviewStatus::Returned,
            comment: Some("Đo lại diện tích nhà".into()),
            agreement_percent: Some(40),
            by: Some("u1".into()),
            at: Some("2026-11-01T00:00:00Z".into()),
        };
        set_review(&mut doc, &review).expect("set");
        let mut edited = h.clone();
        edited.internet_use = Some(false);
        write_household(&mut doc, &edited).expect("write");
        assert_eq!(review_of(&doc), Some(review));
        assert!(to_json(&doc).expect("json").get(REVIEW_KEY).is_none());
    }
}
