//! Values with a unit or a format, each with the range of the data dictionary.
//!
//! Each newtype's constructor checks the dictionary's rule and returns a [`ValueError`] that
//! says, in Vietnamese and English, what a collector must fix. The JSON reader and the app's
//! form fields use the same constructors, so a rule exists once.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::text::Text;

/// Why a single value is not acceptable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValueError {
    /// A number outside its allowed range.
    #[error("{value} is outside {min}–{max}")]
    OutOfRange {
        /// The value given.
        value: f64,
        /// Lowest allowed.
        min: f64,
        /// Highest allowed.
        max: f64,
    },
    /// A number that is NaN or infinite.
    #[error("not a finite number")]
    NotFinite,
    /// Text with fewer characters than required (usually: empty).
    #[error("text is shorter than {min} characters")]
    TooShort {
        /// Minimum characters.
        min: usize,
    },
    /// Text with more characters than allowed.
    #[error("text is longer than {max} characters")]
    TooLong {
        /// Maximum characters.
        max: usize,
    },
    /// A phone number that is not 9–11 digits.
    #[error("phone number must be 9–11 digits")]
    BadPhone,
    /// A citizen id that is not 12 digits with a province prefix 001–096.
    #[error("citizen id must be 12 digits starting with a province code 001–096")]
    BadCitizenId,
}

impl ValueError {
    /// A stable code for programs.
    pub fn code(&self) -> &'static str {
        match self {
            ValueError::OutOfRange { .. } | ValueError::NotFinite => "out_of_range",
            ValueError::TooShort { .. } => "too_short",
            ValueError::TooLong { .. } => "too_long",
            ValueError::BadPhone | ValueError::BadCitizenId => "bad_format",
        }
    }

    /// The message shown to a collector.
    pub fn message(&self) -> Text {
        match self {
            ValueError::OutOfRange { value, min, max } => Text::new(
                format!("Giá trị {value} nằm ngoài khoảng cho phép {min}–{max}"),
                format!("Value {value} is outside the allowed range {min}–{max}"),
            ),
            ValueError::NotFinite => Text::new("Không phải là số hợp lệ", "Not a valid number"),
            ValueError::TooShort { min: 1 } => Text::new("Không được để trống", "Must not be empty"),
            ValueError::TooShort { min } => {
                Text::new(format!("Cần ít nhất {min} ký tự"), format!("Needs at least {min} characters"))
            }
            ValueError::TooLong { max } => {
                Text::new(format!("Dài quá {max} ký tự"), format!("Longer than {max} characters"))
            }
            ValueError::BadPhone => Text::new("Số điện thoại phải gồm 9–11 chữ số", "Phone number must be 9–11 digits"),
            ValueError::BadCitizenId => Text::new(
                "Số CCCD phải gồm đúng 12 chữ số, 3 số đầu là mã tỉnh 001–096",
                "Citizen ID must be exactly 12 digits, the first 3 a province code 001–096",
            ),
        }
    }
}

fn check_range(value: f64, min: f64, max: f64) -> Result<f64, ValueError> {
    if !value.is_finite() {
        return Err(ValueError::NotFinite);
    }
    if value < min || value > max {
        return Err(ValueError::OutOfRange { value, min, max });
    }
    Ok(value)
}

/// Checks a text's length in characters (after NFC) and returns it in NFC.
fn check_text(value: &str, min: usize, max: usize) -> Result<String, ValueError> {
    let nfc: String = value.trim().nfc().collect();
    let chars = nfc.chars().count();
    if chars < min {
        return Err(ValueError::TooShort { min });
    }
    if chars > max {
        return Err(ValueError::TooLong { max });
    }
    Ok(nfc)
}

/// Whether a decimal has at most `places` decimal places (tolerating binary representation).
pub fn has_at_most_decimals(value: f64, places: i32) -> bool {
    let scaled = value * 10f64.powi(places);
    (scaled - scaled.round()).abs() < 1e-6
}

macro_rules! ranged_f64 {
    ($(#[$meta:meta])* $name:ident, $min:expr, $max:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
        #[serde(transparent)]
        pub struct $name(f64);

        impl $name {
            /// Lowest value the dictionary allows.
            pub const MIN: f64 = $min;
            /// Highest value the dictionary allows.
            pub const MAX: f64 = $max;

            /// Checks the dictionary's range.
            pub fn new(value: f64) -> Result<Self, ValueError> {
                check_range(value, Self::MIN, Self::MAX).map($name)
            }

            /// The number.
            pub fn get(self) -> f64 {
                self.0
            }
        }
    };
}

macro_rules! ranged_int {
    ($(#[$meta:meta])* $name:ident, $ty:ty, $min:expr, $max:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name($ty);

        impl $name {
            /// Lowest value the dictionary allows.
            pub const MIN: $ty = $min;
            /// Highest value the dictionary allows.
            pub const MAX: $ty = $max;

            /// Checks the dictionary's range.
            pub fn new(value: i64) -> Result<Self, ValueError> {
                if value < Self::MIN as i64 || value > Self::MAX as i64 {
                    return Err(ValueError::OutOfRange {
                        value: value as f64,
                        min: Self::MIN as f64,
                        max: Self::MAX as f64,
                    });
                }
                Ok($name(value as $ty))
            }

            /// The number.
            pub fn get(self) -> $ty {
                self.0
            }
        }
    };
}

macro_rules! bounded_text {
    ($(#[$meta:meta])* $name:ident, $min:expr, $max:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Trims, normalises to NFC and checks the length in characters.
            pub fn new(value: &str) -> Result<Self, ValueError> {
                check_text(value, $min, $max).map($name)
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

ranged_f64! {
    /// Child's weight in kilograms (`weight_kg`): 0.5–200, up to 2 decimals.
    WeightKg, 0.5, 200.0
}
ranged_f64! {
    /// Length or height in centimetres as measured (`lenhei_cm`): 38–230, up to 1 decimal.
    LengthCm, 38.0, 230.0
}
ranged_f64! {
    /// Dwelling floor area in square metres (`floor_area_m2`): 1–2000, one decimal.
    FloorAreaM2, 1.0, 2000.0
}
ranged_f64! {
    /// GPS accuracy radius in metres (`gps.accuracy_m`): ≥ 0.
    AccuracyM, 0.0, 1.0e7
}
ranged_f64! {
    /// Latitude in degrees (`gps.lat`).
    Latitude, -90.0, 90.0
}
ranged_f64! {
    /// Longitude in degrees (`gps.lon`).
    Longitude, -180.0, 180.0
}
ranged_int! {
    /// Income per person per month in đồng (`income.monthly_per_capita_vnd`): 0 to under 1 billion.
    Vnd, i64, 0, 999_999_999
}
ranged_int! {
    /// The Phiếu B1 income-proxy total (`income.b1_score`): 0–1000 points.
    B1Score, u16, 0, 1000
}
ranged_int! {
    /// The review year (`review_year`): 2022–2100.
    ReviewYear, i32, 2022, 2100
}
bounded_text! {
    /// A person's full name (`full_name`): 1–100 characters, stored NFC.
    PersonName, 1, 100
}
bounded_text! {
    /// A postal address (`address`): 1–200 characters.
    Address, 1, 200
}
bounded_text! {
    /// Free-text notes (`notes`): at most 2000 characters.
    Notes, 0, 2000
}
bounded_text! {
    /// An area code (province, commune, residential group): 1–50 characters.
    AreaCode, 1, 50
}
bounded_text! {
    /// The ward's own household code (`code`): 1–50 characters.
    HouseholdCode, 1, 50
}
bounded_text! {
    /// A short free-text label (ethnicity, measuring staff): 1–100 characters.
    ShortText, 1, 100
}

/// A phone number (`phone`): 9–11 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// Checks the digits.
    pub fn new(value: &str) -> Result<Self, ValueError> {
        let ok = (9..=11).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit());
        if ok { Ok(Phone(value.to_owned())) } else { Err(ValueError::BadPhone) }
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A 12-digit citizen identity number (CCCD, `id_number`); the first three digits are the
/// province of birth registration, 001–096 (Circular 59/2021/TT-BCA, annex).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct CitizenId(String);

impl CitizenId {
    /// Checks the length, the digits and the province prefix.
    pub fn new(value: &str) -> Result<Self, ValueError> {
        if value.len() != 12 || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueError::BadCitizenId);
        }
        let province: u32 = value[..3].parse().map_err(|_| ValueError::BadCitizenId)?;
        if !(1..=96).contains(&province) {
            return Err(ValueError::BadCitizenId);
        }
        Ok(CitizenId(value.to_owned()))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
