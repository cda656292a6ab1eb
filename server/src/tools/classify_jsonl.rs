//! `rasoat classify`: household records as JSON Lines (the dictionary's form) → one result
//! object per input line.
//!
//! A line that does not parse or validate yields its errors in that line's object, never a
//! crash; the caller exits 1 at the end. Lines are read with a size bound, so one enormous line
//! costs at most [`MAX_LINE_BYTES`] of memory and is reported, not loaded.

use std::io::{BufRead, Write};

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use shared::issue::{Issue, Severity};
use shared::model::{Category, Household};
use shared::poverty::{Classification, PovertyStandard, Status, Transition, classify_household};
use shared::text::Text;
use shared::validate::check_json;

/// The longest accepted line: a 30-member household with years of measurements is ~40 KB.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Options of one run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The standard to apply; `None`: the default for each household's review year.
    pub standard: Option<PovertyStandard>,
    /// Count ages on this date instead of each household's interview date.
    pub reference_date: Option<NaiveDate>,
    /// Today's date, for "not in the future" checks.
    pub today: NaiveDate,
}

/// Fatal problems: the input or output stream failed.
#[derive(Debug, thiserror::Error)]
pub enum ClassifyError {
    /// Reading input or writing output failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

/// A valid household and its classification.
pub struct Classified {
    /// The household as read.
    pub household: Household,
    /// Its classification.
    pub classification: Classification,
    /// Warnings from validation and the rules.
    pub issues: Vec<Issue>,
}

/// What happened to one input line.
pub enum LineOutcome {
    /// Valid and classified.
    Classified(Box<Classified>),
    /// Could not be classified: the problems (errors and warnings).
    Rejected(Option<String>, Vec<Issue>),
}

/// Classifies one line of JSON text.
pub fn classify_line(text: &str, options: &Options) -> LineOutcome {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) => {
            let (_, issues) = shared::model::read_household_json(text);
            return LineOutcome::Rejected(None, issues);
        }
    };
    let (household, mut issues) = check_json(&value, options.today);
    let Some(h) = household else {
        let id = value.get("household_id").and_then(Value::as_str).map(str::to_owned);
        return LineOutcome::Rejected(id, issues);
    };
    let standard = options.standard.clone().unwrap_or_else(|| PovertyStandard::default_for_year(h.review_year.get()));
    if !standard.covers(h.review_year.get()) {
        issues.push(Issue::warning(
            "review_year",
            "outside_standard",
            Text::new(
                format!("Năm rà soát {} nằm ngoài thời gian áp dụng của chuẩn {}", h.review_year.get(), standard.id),
                format!("Review year {} is outside the validity of standard {}", h.review_year.get(), standard.id),
            ),
        ));
    }
    let reference = options.reference_date.unwrap_or(h.interview_date);
    let mut classification = classify_household(&h, &standard, reference);
    issues.append(&mut classification.warnings);
    LineOutcome::Classified(Box::new(Classified { household: h, classification, issues }))
}

/// The JSON object written for one line.
#[derive(Serialize)]
struct Output<'a> {
    line: usize,
    household_id: Option<String>,
    standard: Option<&'a str>,
    provisional: Option<bool>,
    reference_date: Option<NaiveDate>,
    category: Option<Category>,
    income_condition: Option<bool>,
    b2_score: Option<u32>,
    deprived_count: Option<u32>,
    unknown_count: Option<u32>,
    transition: Option<Transition>,
    recently_escaped: Option<bool>,
    indicators: Vec<IndicatorOut<'a>>,
    errors: Vec<IssueOut<'a>>,
    warnings: Vec<IssueOut<'a>>,
}

#[derive(Serialize)]
struct IndicatorOut<'a> {
    number: u8,
    code: &'a str,
    deprived: Option<bool>,
    reason_vi: &'a str,
    reason_en: &'a str,
}

#[derive(Serialize)]
struct IssueOut<'a> {
    path: &'a str,
    code: &'a str,
    message_vi: &'a str,
    message_en: &'a str,
}

fn issues_out(issues: &[Issue], severity: Severity) -> Vec<IssueOut<'_>> {
    issues
        .iter()
        .filter(|i| i.severity == severity)
        .map(|i| IssueOut { path: &i.path, code: i.code, message_vi: &i.message.vi, message_en: &i.message.en })
        .collect()
}

fn output<'a>(line: usize, outcome: &'a LineOutcome) -> Output<'a> {
    match outcome {
        LineOutcome::Classified(done) => {
            let (c, issues) = (&done.classification, &done.issues);
            Output {
                line,
                household_id: Some(c.household_id.to_string()),
                standard: Some(&c.standard),
                provisional: Some(c.provisional),
                reference_date: Some(c.reference_date),
                category: Some(c.category),
                income_condition: c.income_condition,
                b2_score: Some(c.b2_score),
                deprived_count: Some(c.deprived_count),
                unknown_count: Some(c.unknown_count),
                transition: c.transition,
                recently_escaped: Some(c.recently_escaped),
                indicators: c
                    .indicators
                    .iter()
                    .map(|i| IndicatorOut {
                        number: i.number,
                        code: &i.code,
                        deprived: i.status.as_option(),
                        reason_vi: &i.reason.vi,
                        reason_en: &i.reason.en,
                    })
                    .collect(),
                errors: Vec::new(),
                warnings: issues_out(issues, Severity::Warning),
            }
        }
        LineOutcome::Rejected(id, issues) => Output {
            line,
            household_id: id.clone(),
            standard: None,
            provisional: None,
            reference_date: None,
            category: None,
            income_condition: None,
            b2_score: None,
            deprived_count: None,
            unknown_count: None,
            transition: None,
            recently_escaped: None,
            indicators: Vec::new(),
            errors: issues_out(issues, Severity::Error),
            warnings: issues_out(issues, Severity::Warning),
        },
    }
}

/// Reads JSON Lines from `input`, calls `each` with the 1-based line number and the outcome of
/// every non-blank line. Returns the number of rejected lines.
pub fn for_each_line(
    mut input: impl BufRead,
    options: &Options,
    mut each: impl FnMut(usize, &LineOutcome) -> Result<(), ClassifyError>,
) -> Result<usize, ClassifyError> {
    let mut rejected = 0;
    let mut buf = Vec::new();
    let mut line_no = 0;
    loop {
        buf.clear();
        let read = read_bounded_line(&mut input, &mut buf)?;
        if read == 0 {
            break;
        }
        line_no += 1;
        let outcome = match (buf.len() > MAX_LINE_BYTES, std::str::from_utf8(&buf)) {
            (true, _) => reject(line_too_long()),
            (false, Err(e)) => reject(not_utf8(e.valid_up_to())),
            (false, Ok(text)) if text.trim().is_empty() => continue,
            (false, Ok(text)) => classify_line(text.trim_start_matches('\u{feff}'), options),
        };
        if matches!(outcome, LineOutcome::Rejected(..)) {
            rejected += 1;
        }
        each(line_no, &outcome)?;
    }
    Ok(rejected)
}

/// Reads one line into `buf` (without its line ending), keeping at most `MAX_LINE_BYTES + 1`
/// bytes of it; the rest of an over-long line is consumed and dropped. Returns the bytes read
/// from the stream (0 at the end).
fn read_bounded_line(input: &mut impl BufRead, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut total = 0;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let (used, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let content = if done { &chunk[..used - 1] } else { chunk };
        let room = (MAX_LINE_BYTES + 1).saturating_sub(buf.len());
        buf.extend_from_slice(&content[..content.len().min(room)]);
        input.consume(used);
        total += used;
        if done {
            break;
        }
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(total)
}

fn reject(issue: Issue) -> LineOutcome {
    LineOutcome::Rejected(None, vec![issue])
}

fn line_too_long() -> Issue {
    Issue::error(
        "",
        "too_large",
        Text::new(
            format!("Dòng dài quá {} byte", MAX_LINE_BYTES),
            format!("Line longer than {} bytes", MAX_LINE_BYTES),
        ),
    )
}

fn not_utf8(at: usize) -> Issue {
    Issue::error(
        "",
        "not_utf8",
        Text::new(format!("Dòng không phải văn bản UTF-8 (byte {at})"), format!("Line is not UTF-8 text (byte {at})")),
    )
}

/// `rasoat classify`: writes one JSON object per input line. Returns the rejected line count.
pub fn run(input: impl BufRead, mut out: impl Write, options: &Options) -> Result<usize, ClassifyError> {
    let rejected = for_each_line(input, options, |line, outcome| {
        serde_json::to_writer(&mut out, &output(line, outcome)).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
        Ok(())
    })?;
    out.flush()?;
    Ok(rejected)
}

/// Whether a classification deprives on indicator `number` (for summaries).
pub fn is_deprived(c: &Classification, number: u8) -> bool {
    c.indicators.iter().any(|i| i.number == number && i.status == Status::Deprived)
}

#[cfg(test)]
mod tests;
