//! `rasoat anthro FILE`: WHO growth z-scores for every row of a CSV file, written in the format
//! of WHO's worked examples (`shared/data/who-growth/examples.csv`), so that running it on that
//! file reproduces it byte for byte.
//!
//! Input: a header with `sex`, `weight_kg`, `lenhei_cm`, `measure`, `oedema`, and either `dob` +
//! `measure_date` or `age_days` (names trimmed, case-insensitive, a UTF-8 BOM ignored). Output:
//! every input column unchanged and in order, then the result columns the input lacks (a result
//! column the input has is overwritten in place). A bad row is reported on the error writer with
//! its line and column and left out; the other rows are still written.

use std::io::{Read, Write};

use chrono::NaiveDate;
use csv::{ByteRecord, ReaderBuilder, WriterBuilder};
use shared::growth::{GrowthInput, GrowthResult, ZScore, age_days_between, compute};
use shared::model::{Position, Sex};

/// The result columns, in the order of `examples.csv`.
pub const OUTPUT_COLUMNS: [&str; 14] = [
    "age_days",
    "age_months",
    "reference",
    "clenhei_cm",
    "bmi",
    "haz",
    "waz",
    "whz",
    "baz",
    "haz_flag",
    "waz_flag",
    "whz_flag",
    "baz_flag",
    "c9mo_flag",
];

/// The input columns every file needs (the age comes from `dob` + `measure_date` or `age_days`).
const REQUIRED_COLUMNS: [&str; 5] = ["sex", "weight_kg", "lenhei_cm", "measure", "oedema"];

/// A problem that stops the whole run. Problems with single rows are not errors: they are
/// reported on the error writer and [`run`] returns `Ok(false)`.
#[derive(Debug, thiserror::Error)]
pub enum AnthroCsvError {
    /// The input could not be read as CSV.
    #[error("cannot read the CSV input: {0}")]
    Read(#[source] csv::Error),
    /// The input has no header row.
    #[error("the CSV input is empty: it needs a header row")]
    NoHeader,
    /// Required columns are missing from the header.
    #[error("the header lacks required column(s): {}", .missing.join(", "))]
    MissingColumns {
        /// The missing columns, e.g. `weight_kg` or `age_days (or dob and measure_date)`.
        missing: Vec<String>,
    },
    /// A column the command reads or writes appears twice in the header.
    #[error("the header has column {name:?} more than once")]
    DuplicateColumn {
        /// The column's name.
        name: String,
    },
    /// The output or the error report could not be written.
    #[error("cannot write the output: {0}")]
    Write(#[source] std::io::Error),
}

/// Reads CSV rows from `input`, writes them with their z-scores to `out` and a line per problem
/// to `err`. Returns `Ok(true)` if every row succeeded, `Ok(false)` if some rows were rejected.
pub fn run<R: Read, W: Write, E: Write>(input: R, out: W, mut err: E) -> Result<bool, AnthroCsvError> {
    let mut reader = ReaderBuilder::new().flexible(true).from_reader(input);
    let layout = Layout::from_header(reader.byte_headers().map_err(AnthroCsvError::Read)?)?;
    let mut writer = WriterBuilder::new().from_writer(out);
    writer.write_record(&layout.header).map_err(write_error)?;
    let mut all_ok = true;
    for record in reader.byte_records() {
        let record = record.map_err(AnthroCsvError::Read)?;
        let line = record.position().map_or(0, csv::Position::line);
        match layout.read_row(&record) {
            Ok(input) => writer.write_record(layout.output_row(&record, &compute(&input))).map_err(write_error)?,
            Err(problems) => {
                all_ok = false;
                for problem in problems {
                    writeln!(err, "line {line}{problem}").map_err(AnthroCsvError::Write)?;
                }
            }
        }
    }
    writer.flush().map_err(AnthroCsvError::Write)?;
    Ok(all_ok)
}

fn write_error(error: csv::Error) -> AnthroCsvError {
    AnthroCsvError::Write(error.into())
}

/// Where the columns sit: those read in the input, and those written in the output.
#[derive(Debug)]
struct Layout {
    /// Number of input columns.
    width: usize,
    sex: usize,
    weight_kg: usize,
    lenhei_cm: usize,
    measure: usize,
    oedema: usize,
    /// `dob` and `measure_date`, when both columns exist.
    dates: Option<(usize, usize)>,
    age_days: Option<usize>,
    /// For each of [`OUTPUT_COLUMNS`], its index in the output row.
    outputs: [usize; OUTPUT_COLUMNS.len()],
    /// The output header: the input's, then the result columns it lacks.
    header: Vec<Vec<u8>>,
}

impl Layout {
    fn from_header(header: &ByteRecord) -> Result<Layout, AnthroCsvError> {
        if header.is_empty() {
            return Err(AnthroCsvError::NoHeader);
        }
        let names: Vec<String> = header.iter().map(normalise_name).collect();
        let find = |name: &str| -> Result<Option<usize>, AnthroCsvError> {
            let mut hits = names.iter().enumerate().filter(|(_, n)| *n == name).map(|(i, _)| i);
            let first = hits.next();
            match hits.next() {
                Some(_) => Err(AnthroCsvError::DuplicateColumn { name: name.to_owned() }),
                None => Ok(first),
            }
        };
        let mut missing = Vec::new();
        let mut required = [0; REQUIRED_COLUMNS.len()];
        for (slot, name) in required.iter_mut().zip(REQUIRED_COLUMNS) {
            match find(name)? {
                Some(index) => *slot = index,
                None => missing.push(name.to_owned()),
            }
        }
        let (dob, measure_date, age_days) = (find("dob")?, find("measure_date")?, find("age_days")?);
        let dates = dob.zip(measure_date);
        if dates.is_none() && age_days.is_none() {
            missing.push(match (dob, measure_date) {
                (Some(_), _) => "measure_date (or age_days)".to_owned(),
                (_, Some(_)) => "dob (or age_days)".to_owned(),
                _ => "age_days (or dob and measure_date)".to_owned(),
            });
        }
        if !missing.is_empty() {
            return Err(AnthroCsvError::MissingColumns { missing });
        }
        let mut header: Vec<Vec<u8>> = header.iter().map(<[u8]>::to_vec).collect();
        if let Some(first) = header.first_mut()
            && first.starts_with(BOM)
        {
            first.drain(..BOM.len());
        }
        let mut outputs = [0; OUTPUT_COLUMNS.len()];
        for (slot, name) in outputs.iter_mut().zip(OUTPUT_COLUMNS) {
            *slot = match find(name)? {
                Some(index) => index,
                None => {
                    header.push(name.as_bytes().to_vec());
                    header.len() - 1
                }
            };
        }
        let [sex, weight_kg, lenhei_cm, measure, oedema] = required;
        Ok(Layout { width: names.len(), sex, weight_kg, lenhei_cm, measure, oedema, dates, age_days, outputs, header })
    }

    /// The computation's input from one row, or every problem the row has.
    fn read_row(&self, record: &ByteRecord) -> Result<GrowthInput, Vec<Problem>> {
        if record.len() != self.width {
            let found = record.len();
            return Err(vec![Problem(format!(": {found} fields, expected {} as in the header", self.width))]);
        }
        let mut row = Row { record, problems: Vec::new() };
        let sex = row.read(self.sex, "sex", parse_sex);
        let weight_kg = row.read(self.weight_kg, "weight_kg", parse_measurement);
        let lenhei_cm = row.read(self.lenhei_cm, "lenhei_cm", parse_measurement);
        let position = row.read(self.measure, "measure", parse_position);
        let oedema = row.read(self.oedema, "oedema", parse_oedema);
        let age_days = self.read_age(&mut row);
        match (sex, weight_kg, lenhei_cm, position, oedema, age_days) {
            (Some(sex), Some(weight_kg), Some(lenhei_cm), Some(position), Some(oedema), Some(age_days))
                if row.problems.is_empty() =>
            {
                Ok(GrowthInput { sex, age_days, weight_kg, lenhei_cm, position, oedema })
            }
            _ => Err(row.problems),
        }
    }

    /// The age in days: from `dob` and `measure_date` when both are given (checked against
    /// `age_days` if that is given too), else from `age_days`, else unknown (`Some(None)`: WHO
    /// then computes WHZ only). `None` when the row has a problem.
    fn read_age(&self, row: &mut Row) -> Option<Option<u32>> {
        let given = match self.age_days {
            Some(index) => row.read(index, "age_days", parse_age_days).ok_or(()),
            None => Ok(None),
        };
        let Some((dob_index, date_index)) = self.dates else { return given.ok() };
        let dob = row.read(dob_index, "dob", parse_date);
        let measured = row.read(date_index, "measure_date", parse_date);
        let (Some(dob), Some(measured), Ok(given)) = (dob, measured, given) else { return None };
        match (dob, measured) {
            (None, None) => Some(given),
            (Some(_), None) => row.problem(date_index, "measure_date", "is missing while dob is given".to_owned()),
            (None, Some(_)) => row.problem(dob_index, "dob", "is missing while measure_date is given".to_owned()),
            (Some(dob), Some(measured)) => match age_days_between(dob, measured) {
                // README §1: a measurement date before the date of birth is an input error.
                None => row.problem(date_index, "measure_date", format!("is before dob \"{dob}\"")),
                Some(days) => match (self.age_days, given) {
                    (Some(index), Some(given)) if given != days => {
                        row.problem(index, "age_days", format!("disagrees with dob and measure_date ({days} days)"))
                    }
                    _ => Some(Some(days)),
                },
            },
        }
    }

    /// The output row: the input's cells with the result columns set.
    fn output_row(&self, record: &ByteRecord, result: &GrowthResult) -> Vec<Vec<u8>> {
        let mut row: Vec<Vec<u8>> = record.iter().map(<[u8]>::to_vec).collect();
        row.resize(self.header.len(), Vec::new());
        for (index, value) in self.outputs.into_iter().zip(output_cells(result)) {
            row[index] = value.into_bytes();
        }
        row
    }
}

/// The result columns of one row, formatted as in `examples.csv`: age in months to 4 decimals,
/// length/height and z-scores to 2, BMI to 4, flags 0/1, empty when missing.
fn output_cells(result: &GrowthResult) -> [String; OUTPUT_COLUMNS.len()] {
    let z = |score: Option<ZScore>| fixed(score.map(|z| z.rounded), 2);
    let flag = |score: Option<ZScore>| score.map(|z| bit(z.flagged)).unwrap_or_default();
    [
        result.age_days.map(|days| days.to_string()).unwrap_or_default(),
        fixed(result.age_months, 4),
        result.reference.map(|r| r.as_code().to_owned()).unwrap_or_default(),
        fixed(result.clenhei_cm, 2),
        fixed(result.bmi, 4),
        z(result.haz),
        z(result.waz),
        z(result.whz),
        z(result.baz),
        flag(result.haz),
        flag(result.waz),
        flag(result.whz),
        flag(result.baz),
        bit(result.c9mo_flag),
    ]
}

/// `value` with `decimals` places, empty when missing; never "-0.00".
fn fixed(value: Option<f64>, decimals: usize) -> String {
    let Some(value) = value else { return String::new() };
    let text = format!("{value:.decimals$}");
    match text.strip_prefix('-') {
        Some(magnitude) if magnitude.bytes().all(|b| b == b'0' || b == b'.') => magnitude.to_owned(),
        _ => text,
    }
}

fn bit(flag: bool) -> String {
    if flag { "1" } else { "0" }.to_owned()
}

/// A UTF-8 byte order mark, which spreadsheet programs put before the header.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A header name as matched: BOM removed, trimmed, lowercase.
fn normalise_name(name: &[u8]) -> String {
    String::from_utf8_lossy(name).trim_start_matches('\u{feff}').trim().to_lowercase()
}

/// One problem of a row, printed after `line N`: `, column weight_kg: "abc" is not a number`.
#[derive(Debug, PartialEq)]
struct Problem(String);

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A row being read: its cells and the problems found so far.
struct Row<'a> {
    record: &'a ByteRecord,
    problems: Vec<Problem>,
}

impl Row<'_> {
    /// Parses the trimmed cell `index`; on failure records the problem and gives `None`.
    fn read<T>(&mut self, index: usize, column: &str, parse: fn(&str) -> Result<T, String>) -> Option<T> {
        let raw = self.record.get(index).unwrap_or_default();
        let parsed = match std::str::from_utf8(raw) {
            Ok(text) => parse(text.trim()),
            Err(_) => Err("is not valid UTF-8".to_owned()),
        };
        parsed.map_or_else(|message| self.problem(index, column, message), Some)
    }

    /// Records `message` about cell `index`, quoting the cell; always `None`.
    fn problem<T>(&mut self, index: usize, column: &str, message: String) -> Option<T> {
        let value = String::from_utf8_lossy(self.record.get(index).unwrap_or_default());
        self.problems.push(Problem(format!(", column {column}: {value:?} {message}")));
        None
    }
}

/// `1`, `m`, `male` → male; `2`, `f`, `female` → female (case-insensitive).
fn parse_sex(text: &str) -> Result<Sex, String> {
    match text.to_lowercase().as_str() {
        "1" | "m" | "male" => Ok(Sex::Male),
        "2" | "f" | "female" => Ok(Sex::Female),
        _ => Err("is not a sex (1/2, m/f or male/female)".to_owned()),
    }
}

/// A weight or length: empty is "not measured" (README §1), otherwise a finite number > 0.
fn parse_measurement(text: &str) -> Result<Option<f64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Err(_) => Err("is not a number".to_owned()),
        Ok(value) if !value.is_finite() => Err("is not a finite number".to_owned()),
        Ok(value) if value <= 0.0 => Err("must be greater than 0".to_owned()),
        Ok(value) => Ok(Some(value)),
    }
}

/// `L` lying, `H` standing (case-insensitive), empty unknown.
fn parse_position(text: &str) -> Result<Option<Position>, String> {
    match text {
        "" => Ok(None),
        "L" | "l" => Ok(Some(Position::Lying)),
        "H" | "h" => Ok(Some(Position::Standing)),
        _ => Err("is not L (lying), H (standing) or empty".to_owned()),
    }
}

/// Oedema: `y`/`yes`/`1`/`true`, or `n`/`no`/`0`/`false`/`2` (WHO's code for no) or empty,
/// which README §1 counts as no.
fn parse_oedema(text: &str) -> Result<bool, String> {
    match text.to_lowercase().as_str() {
        "y" | "yes" | "1" | "true" => Ok(true),
        "" | "n" | "no" | "0" | "false" | "2" => Ok(false),
        _ => Err("is not y or n".to_owned()),
    }
}

/// An ISO date; empty is "not given".
fn parse_date(text: &str) -> Result<Option<NaiveDate>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| "is not a date (YYYY-MM-DD)".to_owned())
}

/// Completed days of age; empty is "not given".
fn parse_age_days(text: &str) -> Result<Option<u32>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| "is not a whole number of days".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WHO's worked examples: input columns, expected results, and `_exact` columns.
    const EXAMPLES: &str = include_str!("../../../shared/data/who-growth/examples.csv");

    /// Runs the command on `input`: (success, stdout, stderr).
    fn anthro(input: &[u8]) -> (bool, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let ok = run(input, &mut out, &mut err).expect("no fatal error");
        (ok, String::from_utf8(out).expect("UTF-8 output"), String::from_utf8(err).expect("UTF-8 report"))
    }

    /// The fatal error `run` gives on `input`.
    fn fatal(input: &str) -> AnthroCsvError {
        run(input.as_bytes(), Vec::new(), Vec::new()).expect_err("a fatal error")
    }

    /// Parses CSV text into rows of cells, header first.
    fn table(text: &str) -> Vec<Vec<String>> {
        let mut reader = ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        reader.records().map(|r| r.expect("CSV").iter().map(str::to_owned).collect()).collect()
    }

    /// Keeps the columns of a table whose header satisfies `keep`.
    fn select(rows: &[Vec<String>], keep: impl Fn(&str) -> bool) -> Vec<Vec<String>> {
        let kept: Vec<usize> = (0..rows[0].len()).filter(|&i| keep(&rows[0][i])).collect();
        rows.iter().map(|row| kept.iter().map(|&i| row[i].clone()).collect()).collect()
    }

    /// The result columns of each data row of an output, in [`OUTPUT_COLUMNS`] order, joined.
    fn results(out: &str) -> Vec<String> {
        let rows = table(out);
        let index = |name: &str| rows[0].iter().position(|h| h == name).expect("result column");
        let columns: Vec<usize> = OUTPUT_COLUMNS.iter().map(|name| index(name)).collect();
        rows[1..].iter().map(|row| columns.iter().map(|&i| row[i].as_str()).collect::<Vec<_>>().join(",")).collect()
    }

    fn csv_text(rows: &[Vec<String>]) -> String {
        rows.iter().map(|row| row.join(",") + "\n").collect()
    }

    const HEADER: &str = "id,sex,dob,measure_date,age_days,weight_kg,lenhei_cm,measure,oedema";

    #[test]
    fn examples_csv_is_reproduced_byte_for_byte() {
        let (ok, out, err) = anthro(EXAMPLES.as_bytes());
        assert_eq!(err, "");
        assert!(ok);
        assert_eq!(out, EXAMPLES);
    }

    #[test]
    fn examples_without_result_columns_get_them_back_at_the_end() {
        let examples = table(EXAMPLES);
        let stripped = select(&examples, |name| !OUTPUT_COLUMNS.contains(&name));
        let (ok, out, err) = anthro(csv_text(&stripped).as_bytes());
        assert!(ok, "{err}");
        let output = table(&out);
        let expected_header: Vec<String> =
            stripped[0].iter().cloned().chain(OUTPUT_COLUMNS.iter().map(|c| (*c).to_owned())).collect();
        assert_eq!(output[0], expected_header);
        assert_eq!(output.len(), examples.len());
        // The same values, column by column (age_days has moved to the end).
        for column in OUTPUT_COLUMNS {
            let values = |rows: &[Vec<String>]| -> Vec<String> {
                let index = rows[0].iter().position(|h| h == column).expect("column");
                rows.iter().map(|row| row[index].clone()).collect()
            };
            assert_eq!(values(&output), values(&examples), "{column}");
        }
    }

    #[test]
    fn bad_rows_are_reported_by_line_and_column_and_left_out() {
        let input = [
            HEADER,
            "good1,1,2024-01-01,2025-01-01,,9.5,75.0,L,n",
            "w,1,2024-01-01,2025-01-01,,abc,75.0,L,n",
            "s,x,2024-01-01,2025-01-01,,9.5,75.0,L,n",
            "d,2,2021-02-30,2025-01-01,,9.5,75.0,L,n",
            "before,2,2025-01-02,2025-01-01,,9.5,75.0,L,n",
            "disagree,2,2024-01-01,2025-01-01,367,9.5,75.0,L,n",
            "m,2,2024-01-01,2025-01-01,,9.5,75.0,S,n",
            "neg,2,2024-01-01,2025-01-01,,-1,0,L,n",
            "nan,2,,,400,9.5,NaN,L,n",
            "short,2,2024-01-01,2025-01-01",
            "good2,f,,,400,9.5,75.0,,",
            "o,2,,,400,9.5,75.0,L,maybe",
            "half,2,2024-01-01,,,9.5,75.0,L,n",
            "days,2,,,-3,9.5,75.0,L,n",
        ]
        .join("\n");
        let (ok, out, err) = anthro(input.as_bytes());
        assert!(!ok);
        let expected = [
            r#"line 3, column weight_kg: "abc" is not a number"#,
            r#"line 4, column sex: "x" is not a sex (1/2, m/f or male/female)"#,
            r#"line 5, column dob: "2021-02-30" is not a date (YYYY-MM-DD)"#,
            r#"line 6, column measure_date: "2025-01-01" is before dob "2025-01-02""#,
            r#"line 7, column age_days: "367" disagrees with dob and measure_date (366 days)"#,
            r#"line 8, column measure: "S" is not L (lying), H (standing) or empty"#,
            r#"line 9, column weight_kg: "-1" must be greater than 0"#,
            r#"line 9, column lenhei_cm: "0" must be greater than 0"#,
            r#"line 10, column lenhei_cm: "NaN" is not a finite number"#,
            "line 11: 4 fields, expected 9 as in the header",
            r#"line 13, column oedema: "maybe" is not y or n"#,
            r#"line 14, column measure_date: "" is missing while dob is given"#,
            r#"line 15, column age_days: "-3" is not a whole number of days"#,
        ];
        assert_eq!(err.lines().collect::<Vec<_>>(), expected);
        let ids: Vec<String> = table(&out).iter().map(|row| row[0].clone()).collect();
        assert_eq!(ids, ["id", "good1", "good2"]);
    }

    #[test]
    fn missing_header_columns_are_named() {
        let error = fatal("sex,lenhei_cm,oedema,age_days\n1,80,n,400\n");
        assert!(matches!(&error, AnthroCsvError::MissingColumns { missing } if missing == &["weight_kg", "measure"]));
        assert_eq!(error.to_string(), "the header lacks required column(s): weight_kg, measure");
        let no_age = fatal("sex,weight_kg,lenhei_cm,measure,oedema\n");
        assert_eq!(no_age.to_string(), "the header lacks required column(s): age_days (or dob and measure_date)");
        let half_dates = fatal("sex,weight_kg,lenhei_cm,measure,oedema,dob\n");
        assert_eq!(half_dates.to_string(), "the header lacks required column(s): measure_date (or age_days)");
        assert!(matches!(fatal(""), AnthroCsvError::NoHeader));
        let twice = fatal("sex,weight_kg,lenhei_cm,measure,oedema,age_days,Weight_kg\n");
        assert_eq!(twice.to_string(), r#"the header has column "weight_kg" more than once"#);
    }

    #[test]
    fn age_comes_from_the_dates_or_from_age_days_or_is_unknown() {
        let from_dates =
            "sex,dob,measure_date,weight_kg,lenhei_cm,measure,oedema\n2,2023-10-17,2025-10-16,11.0,84.3,H,n\n";
        let from_days = "sex,age_days,weight_kg,lenhei_cm,measure,oedema\n2,730,11.0,84.3,H,n\n";
        let expected = ["730,23.9836,WHO2006,85.00,15.2249,-0.43,-0.34,-0.22,-0.14,0,0,0,0,0"];
        assert_eq!(results(&anthro(from_dates.as_bytes()).1), expected);
        assert_eq!(results(&anthro(from_days.as_bytes()).1), expected);
        // No age: only WHZ (README §4), chosen here by the standing position.
        let unknown = "sex,age_days,weight_kg,lenhei_cm,measure,oedema\n2,,11.0,85.0,H,n\n";
        let (ok, out, _) = anthro(unknown.as_bytes());
        assert!(ok);
        assert_eq!(results(&out), [",,,85.00,15.2249,,,-0.40,,,,0,,0"]);
    }

    #[test]
    fn other_columns_pass_through_in_order_and_names_are_matched_loosely() {
        let input = "\u{feff}name, Sex ,note,WEIGHT_KG,lenhei_cm,Measure,oedema,age_days,extra\n\
                     Lan,F,\"a, b\",11.0,84.3,h,No,730,x\n\
                     Minh,male,,,90,,,800,\n";
        let (ok, out, err) = anthro(input.as_bytes());
        assert!(ok, "{err}");
        let rows = table(&out);
        let header = "name, Sex ,note,WEIGHT_KG,lenhei_cm,Measure,oedema,age_days,extra,age_months,reference,\
                      clenhei_cm,bmi,haz,waz,whz,baz,haz_flag,waz_flag,whz_flag,baz_flag,c9mo_flag";
        assert_eq!(rows[0].join(","), header);
        assert_eq!(rows[1][..9].join("|"), "Lan|F|a, b|11.0|84.3|h|No|730|x");
        assert_eq!(rows[1][13], "-0.43");
        assert_eq!(rows[2][..9].join("|"), "Minh|male|||90|||800|");
        assert_eq!(rows[2][9..].join(","), "26.2834,WHO2006,90.00,,0.30,,,,0,,,,0");
        assert!(out.contains("\"a, b\""), "a cell with a comma is quoted again");
    }

    #[test]
    fn cells_that_are_not_utf8_pass_through_unchanged() {
        let input = b"name,sex,age_days,weight_kg,lenhei_cm,measure,oedema\nNgu\xe1\xbb\x85n \xff,1,400,9,75,L,n\n";
        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert!(run(input.as_slice(), &mut out, &mut err).expect("no fatal error"));
        assert!(out.windows(10).any(|w| w == b"Ngu\xe1\xbb\x85n \xff,"));
    }

    #[test]
    fn oedema_leaves_the_weight_based_results_empty() {
        let input = "sex,age_days,weight_kg,lenhei_cm,measure,oedema\n1,700,8.2,77.1,L,Y\n";
        let (_, out, _) = anthro(input.as_bytes());
        assert_eq!(results(&out), ["700,22.9979,WHO2006,77.10,13.7945,-3.29,,,,0,,,,0"]);
    }

    #[test]
    fn numbers_never_print_as_minus_zero() {
        assert_eq!(fixed(Some(-0.0), 2), "0.00");
        assert_eq!(fixed(Some(-0.00004), 4), "0.0000");
        assert_eq!(fixed(Some(-0.01), 2), "-0.01");
        assert_eq!(fixed(None, 2), "");
    }
}
