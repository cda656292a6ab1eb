//! The annual review's steps for one household (standard §7, Decision 24/2021/QĐ-TTg):
//! listed → visited → agreed at the residential-group meeting, or returned for a re-visit →
//! posted → recognised. Which step may follow which, and the meeting's 50 % rule, live here
//! once; the registry's web interface applies them and the phone shows the result (the status
//! and the re-visit comment travel in the household document, [`crate::doc::review_of`]).

use serde::{Deserialize, Serialize};

use crate::text::Text;

/// Where a household stands in the annual review (§7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// On the list to review (§7.1): on last year's lists or filed a request.
    Listed,
    /// A collector visited, recorded and classified it (§7.2).
    Visited,
    /// The residential-group meeting agreed the result with at least 50 % (§7.3).
    Agreed,
    /// Sent back for a re-visit (meeting share under 50 %, or ward staff's decision) (§7.3).
    Returned,
    /// The result was posted publicly (§7.4).
    Posted,
    /// The ward chairman recognised it (§7.6).
    Recognised,
}

impl ReviewStatus {
    /// Every status, in the order of the review.
    pub const ALL: [ReviewStatus; 6] = [
        ReviewStatus::Listed,
        ReviewStatus::Visited,
        ReviewStatus::Agreed,
        ReviewStatus::Returned,
        ReviewStatus::Posted,
        ReviewStatus::Recognised,
    ];

    /// Stable code.
    pub fn as_code(self) -> &'static str {
        match self {
            ReviewStatus::Listed => "listed",
            ReviewStatus::Visited => "visited",
            ReviewStatus::Agreed => "agreed",
            ReviewStatus::Returned => "returned",
            ReviewStatus::Posted => "posted",
            ReviewStatus::Recognised => "recognised",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<ReviewStatus> {
        ReviewStatus::ALL.into_iter().find(|s| s.as_code() == code)
    }

    /// The label shown to users.
    pub fn label(self) -> Text {
        match self {
            ReviewStatus::Listed => Text::new("Trong danh sách rà soát", "Listed for review"),
            ReviewStatus::Visited => Text::new("Đã rà soát", "Visited"),
            ReviewStatus::Agreed => Text::new("Đã thống nhất tại hội nghị", "Agreed at the meeting"),
            ReviewStatus::Returned => Text::new("Trả lại để rà soát lại", "Returned for re-visit"),
            ReviewStatus::Posted => Text::new("Đã niêm yết", "Posted"),
            ReviewStatus::Recognised => Text::new("Đã công nhận", "Recognised"),
        }
    }

    /// The status of a household with no recorded step: visited once a collector's record
    /// is complete enough to classify, else listed.
    pub fn initial(classified: bool) -> ReviewStatus {
        if classified { ReviewStatus::Visited } else { ReviewStatus::Listed }
    }
}

/// A step ward staff take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewAction {
    /// Record the meeting's vote: `agreeing` of `attending` attendees agreed.
    RecordMeeting {
        /// Attendees who agreed.
        agreeing: u32,
        /// Attendees.
        attending: u32,
    },
    /// Send back for a re-visit with a comment the collector reads on the phone.
    Return {
        /// What to check again.
        comment: String,
    },
    /// The collector re-visited (or the household was visited on paper).
    MarkVisited,
    /// Post the result publicly.
    Post,
    /// The ward chairman's decision.
    Recognise,
}

impl ReviewAction {
    /// Stable code (for forms and the audit log).
    pub fn code(&self) -> &'static str {
        match self {
            ReviewAction::RecordMeeting { .. } => "record_meeting",
            ReviewAction::Return { .. } => "return",
            ReviewAction::MarkVisited => "mark_visited",
            ReviewAction::Post => "post",
            ReviewAction::Recognise => "recognise",
        }
    }
}

/// The meeting needs at least this share of attendees, in percent (§7.3) **[law]**.
pub const MEETING_AGREEMENT_PERCENT: u32 = 50;

/// The outcome of a step: the new status, the comment to show on the phone, the agreement
/// share (percent) when a meeting was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewOutcome {
    /// New status.
    pub status: ReviewStatus,
    /// Comment for the collector (re-visit), if any.
    pub comment: Option<String>,
    /// Agreement share in percent, rounded down, when the step recorded a meeting.
    pub agreement_percent: Option<u32>,
}

/// Why a step cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    /// The step does not follow from the current status.
    #[error("cannot {action} a household that is {from}")]
    NotAllowed {
        /// Current status code.
        from: &'static str,
        /// The step's code.
        action: &'static str,
    },
    /// The meeting figures are impossible (no attendees, more agreeing than attending).
    #[error("meeting vote {agreeing} of {attending} is impossible")]
    BadVote {
        /// Agreeing.
        agreeing: u32,
        /// Attending.
        attending: u32,
    },
    /// A return needs a comment the collector can act on.
    #[error("a return for re-visit needs a comment")]
    NoComment,
}

impl ReviewError {
    /// The message shown to ward staff.
    pub fn message(&self) -> Text {
        match self {
            ReviewError::NotAllowed { .. } => Text::new(
                "Bước này không áp dụng được cho hộ ở trạng thái hiện tại",
                "This step does not apply to the household's current status",
            ),
            ReviewError::BadVote { .. } => Text::new(
                "Số người đồng ý phải từ 0 đến số người dự họp (lớn hơn 0)",
                "Agreeing must be between 0 and the attendees (more than 0)",
            ),
            ReviewError::NoComment => Text::new("Cần ghi nội dung cần rà soát lại", "Say what to check again"),
        }
    }
}

/// Takes one step (§7). The meeting's vote decides by itself: a share of at least
/// [`MEETING_AGREEMENT_PERCENT`] agrees the result, a smaller one returns the household for a
/// re-visit ("else it is reviewed again").
pub fn apply(from: ReviewStatus, action: &ReviewAction) -> Result<ReviewOutcome, ReviewError> {
    use ReviewStatus::*;
    let not_allowed = || ReviewError::NotAllowed { from: from.as_code(), action: action.code() };
    let outcome =
        |status, comment: Option<String>, agreement_percent| ReviewOutcome { status, comment, agreement_percent };
    match action {
        ReviewAction::RecordMeeting { agreeing, attending } => {
            if from != Visited {
                return Err(not_allowed());
            }
            if *attending == 0 || agreeing > attending {
                return Err(ReviewError::BadVote { agreeing: *agreeing, attending: *attending });
            }
            let percent = agreeing * 100 / attending;
            // Compare exactly: agreeing / attending ≥ 50 % ⇔ 100·agreeing ≥ 50·attending.
            if u64::from(*agreeing) * 100 >= u64::from(*attending) * u64::from(MEETING_AGREEMENT_PERCENT) {
                Ok(outcome(Agreed, None, Some(percent)))
            } else {
                let note = format!("Hội nghị chỉ {agreeing}/{attending} đồng ý (dưới 50%): rà soát lại");
                Ok(outcome(Returned, Some(note), Some(percent)))
            }
        }
        ReviewAction::Return { comment } => {
            if !matches!(from, Visited | Agreed | Posted) {
                return Err(not_allowed());
            }
            let comment = comment.trim();
            if comment.is_empty() {
                return Err(ReviewError::NoComment);
            }
            Ok(outcome(Returned, Some(comment.to_owned()), None))
        }
        ReviewAction::MarkVisited if matches!(from, Listed | Returned) => Ok(outcome(Visited, None, None)),
        ReviewAction::Post if from == Agreed => Ok(outcome(Posted, None, None)),
        ReviewAction::Recognise if from == Posted => Ok(outcome(Recognised, None, None)),
        _ => Err(not_allowed()),
    }
}

/// The steps that may follow `from`, for offering only those buttons.
pub fn next_actions(from: ReviewStatus) -> &'static [&'static str] {
    match from {
        ReviewStatus::Listed => &["mark_visited"],
        ReviewStatus::Visited => &["record_meeting", "return"],
        ReviewStatus::Agreed => &["post", "return"],
        ReviewStatus::Returned => &["mark_visited"],
        ReviewStatus::Posted => &["recognise", "return"],
        ReviewStatus::Recognised => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReviewStatus::*;

    fn check(from: ReviewStatus, action: ReviewAction, expected: Result<ReviewStatus, ()>) {
        let got = apply(from, &action).map(|o| o.status).map_err(|_| ());
        assert_eq!(got, expected, "{from:?} {action:?}");
    }

    #[test]
    fn the_review_moves_through_the_steps_of_article_7() {
        check(Listed, ReviewAction::MarkVisited, Ok(Visited));
        check(Visited, ReviewAction::RecordMeeting { agreeing: 10, attending: 20 }, Ok(Agreed));
        check(Visited, ReviewAction::RecordMeeting { agreeing: 9, attending: 19 }, Ok(Returned));
        check(Agreed, ReviewAction::Post, Ok(Posted));
        check(Posted, ReviewAction::Recognise, Ok(Recognised));
        check(Returned, ReviewAction::MarkVisited, Ok(Visited));
        check(Agreed, ReviewAction::Return { comment: "kiểm tra diện tích".into() }, Ok(Returned));
    }

    #[test]
    fn steps_out_of_order_or_with_bad_figures_are_refused() {
        check(Listed, ReviewAction::Post, Err(()));
        check(Visited, ReviewAction::Recognise, Err(()));
        check(Recognised, ReviewAction::Return { comment: "x".into() }, Err(()));
        check(Visited, ReviewAction::RecordMeeting { agreeing: 3, attending: 0 }, Err(()));
        check(Visited, ReviewAction::RecordMeeting { agreeing: 5, attending: 4 }, Err(()));
        check(Visited, ReviewAction::Return { comment: "  ".into() }, Err(()));
    }

    #[test]
    fn a_meeting_records_the_share_and_a_failed_vote_explains_itself() {
        let o = apply(Visited, &ReviewAction::RecordMeeting { agreeing: 2, attending: 3 }).expect("ok");
        assert_eq!(o.agreement_percent, Some(66));
        let o = apply(Visited, &ReviewAction::RecordMeeting { agreeing: 1, attending: 3 }).expect("ok");
        assert_eq!((o.status, o.agreement_percent), (Returned, Some(33)));
        assert!(o.comment.is_some_and(|c| c.contains("1/3")));
        for s in ReviewStatus::ALL {
            assert_eq!(ReviewStatus::from_code(s.as_code()), Some(s));
        }
    }
}
