//! Quantities and their units.
//!
//! A quantity is written either as a bare number, meaning the canonical unit of
//! its dimension, or as a string `"<number> <unit>"` (the space is optional:
//! `"0.05%"`, `"500ppm"`). The number is `-?digits[.digits][e[+-]digits]`;
//! nothing else is accepted around it (no `+`, no thousands separators, no
//! leading or trailing spaces). Units are matched exactly, case included.
//! A concentration may also be a result below the detection limit,
//! `< 2 mg/kg` or `n.d. (LOD 2 mg/kg)` ([`below_detection_limit`]): its value
//! is the limit, and the text is kept so that evaluation knows it is a bound.
//!
//! Every conversion factor is a power of ten, so a conversion shifts the
//! decimal exponent of the number as written and parses the result once:
//! `"0.05 %"` of a substance is read as `0.05e4` and gives exactly `500.0`,
//! not the `500.00000000000006` of `0.05 * 10000.0`.

use std::fmt;

use serde_json::Value;

use crate::Code;

/// What a quantity measures. Each dimension has one canonical unit, the one
/// rules see after normalization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// Mass, canonical `kg` (also `g`, `mg`, `t`).
    Mass,
    /// Share of a mass (recycled content, ash, moisture), canonical `%`, 0-100.
    Share,
    /// Concentration of a substance, canonical `mg/kg` (also `ppm`, `%`,
    /// `wt%`, `g/kg`, `µg/g`, `ug/g`, `ppb`).
    Concentration,
    /// Energy (battery capacity), canonical `kWh` (also `Wh`, `MWh`).
    Energy,
    /// Melt flow rate, canonical `g/10min`.
    MeltFlowRate,
    /// Density, canonical `g/cm3` (also `kg/m3`).
    Density,
    /// Length (thickness), canonical `mm` (also `cm`, `m`, `µm`, `um`).
    Length,
    /// Strength (tensile strength), canonical `MPa` (also `N/mm2`, `GPa`).
    Strength,
    /// Intrinsic viscosity (PET recyclate), canonical `dL/g` (also `dl/g`).
    IntrinsicViscosity,
}

/// One accepted unit spelling: its dimension and the power of ten that
/// converts it to the canonical unit (`value_canonical = value * 10^exp10`).
struct Unit {
    spelling: &'static str,
    dimension: Dimension,
    exp10: i32,
}

const fn unit(spelling: &'static str, dimension: Dimension, exp10: i32) -> Unit {
    Unit {
        spelling,
        dimension,
        exp10,
    }
}

/// Every accepted unit spelling. `%` appears twice: as a share and as a
/// concentration (1 % = 10 000 mg/kg).
const UNITS: &[Unit] = &[
    unit("kg", Dimension::Mass, 0),
    unit("g", Dimension::Mass, -3),
    unit("mg", Dimension::Mass, -6),
    unit("t", Dimension::Mass, 3),
    unit("%", Dimension::Share, 0),
    unit("mg/kg", Dimension::Concentration, 0),
    unit("ppm", Dimension::Concentration, 0),
    unit("%", Dimension::Concentration, 4),
    unit("wt%", Dimension::Concentration, 4),
    unit("g/kg", Dimension::Concentration, 3),
    unit("µg/g", Dimension::Concentration, 0),
    unit("μg/g", Dimension::Concentration, 0),
    unit("ug/g", Dimension::Concentration, 0),
    unit("ppb", Dimension::Concentration, -3),
    unit("kWh", Dimension::Energy, 0),
    unit("Wh", Dimension::Energy, -3),
    unit("MWh", Dimension::Energy, 3),
    unit("g/10min", Dimension::MeltFlowRate, 0),
    unit("g/10 min", Dimension::MeltFlowRate, 0),
    unit("g/cm3", Dimension::Density, 0),
    unit("g/cm³", Dimension::Density, 0),
    unit("kg/m3", Dimension::Density, -3),
    unit("kg/m³", Dimension::Density, -3),
    unit("mm", Dimension::Length, 0),
    unit("cm", Dimension::Length, 1),
    unit("m", Dimension::Length, 3),
    unit("µm", Dimension::Length, -3),
    unit("μm", Dimension::Length, -3),
    unit("um", Dimension::Length, -3),
    unit("MPa", Dimension::Strength, 0),
    unit("N/mm2", Dimension::Strength, 0),
    unit("N/mm²", Dimension::Strength, 0),
    unit("GPa", Dimension::Strength, 3),
    unit("dL/g", Dimension::IntrinsicViscosity, 0),
    unit("dl/g", Dimension::IntrinsicViscosity, 0),
];

/// The largest concentration: 100 % of the mass, in mg/kg.
const MAX_CONCENTRATION: f64 = 1_000_000.0;

impl Dimension {
    /// Every dimension, in table order.
    pub const ALL: [Dimension; 9] = [
        Dimension::Mass,
        Dimension::Share,
        Dimension::Concentration,
        Dimension::Energy,
        Dimension::MeltFlowRate,
        Dimension::Density,
        Dimension::Length,
        Dimension::Strength,
        Dimension::IntrinsicViscosity,
    ];

    /// The dimension's name in the submission schema, where a quantity
    /// definition says `"x-recert-quantity": "melt_flow_rate"`.
    pub fn id(self) -> &'static str {
        match self {
            Dimension::Mass => "mass",
            Dimension::Share => "share",
            Dimension::Concentration => "concentration",
            Dimension::Energy => "energy",
            Dimension::MeltFlowRate => "melt_flow_rate",
            Dimension::Density => "density",
            Dimension::Length => "length",
            Dimension::Strength => "strength",
            Dimension::IntrinsicViscosity => "intrinsic_viscosity",
        }
    }

    /// The dimension named `id` in the submission schema ([`Dimension::id`]).
    pub fn from_id(id: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.id() == id)
    }

    /// The unit every quantity of this dimension is converted to.
    pub fn canonical_unit(self) -> &'static str {
        match self {
            Dimension::Mass => "kg",
            Dimension::Share => "%",
            Dimension::Concentration => "mg/kg",
            Dimension::Energy => "kWh",
            Dimension::MeltFlowRate => "g/10min",
            Dimension::Density => "g/cm3",
            Dimension::Length => "mm",
            Dimension::Strength => "MPa",
            Dimension::IntrinsicViscosity => "dL/g",
        }
    }

    /// The dimension of a unit spelling, `None` for an unknown unit. `%` is a
    /// [`Dimension::Share`] (it is also accepted for concentrations).
    pub fn from_unit(unit: &str) -> Option<Dimension> {
        UNITS
            .iter()
            .find(|u| u.spelling == unit)
            .map(|u| u.dimension)
    }

    /// The dimension for a person, with its article: "a mass".
    pub fn describe(self) -> &'static str {
        match self {
            Dimension::Mass => "a mass",
            Dimension::Share => "a share",
            Dimension::Concentration => "a concentration",
            Dimension::Energy => "an energy",
            Dimension::MeltFlowRate => "a melt flow rate",
            Dimension::Density => "a density",
            Dimension::Length => "a length",
            Dimension::Strength => "a strength",
            Dimension::IntrinsicViscosity => "an intrinsic viscosity",
        }
    }

    /// The unit spellings this dimension accepts, canonical first.
    pub fn units(self) -> impl Iterator<Item = &'static str> {
        UNITS
            .iter()
            .filter(move |u| u.dimension == self)
            .map(|u| u.spelling)
    }

    /// A short list of the accepted units for messages: "mg/kg, ppm, %, ...".
    fn unit_hint(self) -> &'static str {
        match self {
            Dimension::Mass => "kg, g, mg, t",
            Dimension::Share => "%",
            Dimension::Concentration => "mg/kg, ppm, %, wt%, g/kg, µg/g, ug/g, ppb",
            Dimension::Energy => "kWh, Wh, MWh",
            Dimension::MeltFlowRate => "g/10min",
            Dimension::Density => "g/cm3, kg/m3",
            Dimension::Length => "mm, cm, m, µm, um",
            Dimension::Strength => "MPa, N/mm2, GPa",
            Dimension::IntrinsicViscosity => "dL/g",
        }
    }
}

impl fmt::Display for Dimension {
    /// The dimension's name: "mass", "melt flow rate".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.describe();
        let name = text.split_once(' ').map_or(text, |(_, rest)| rest);
        f.write_str(name)
    }
}

/// Why a value is not a valid quantity of the expected dimension.
#[derive(Debug, Clone, PartialEq)]
pub enum QuantityError {
    /// Neither a number nor a string (e.g. a boolean or a list).
    NotAQuantity {
        /// The JSON type found: "a boolean", "a list", ...
        found: &'static str,
    },
    /// A string that does not start with a number.
    NotANumber {
        /// The text as written.
        text: String,
    },
    /// A string holding only a number: the unit is missing.
    MissingUnit {
        /// The text as written.
        text: String,
    },
    /// A unit nobody knows.
    UnknownUnit {
        /// The unit as written.
        unit: String,
        /// A unit that differs only in case (`kwh` → `kWh`).
        suggestion: Option<&'static str>,
    },
    /// A known unit of another dimension (`lead: 5 kg`).
    WrongDimension {
        /// The unit as written.
        unit: String,
        /// The dimension of that unit.
        found: Dimension,
        /// The dimension the field needs.
        expected: Dimension,
    },
    /// A negative value, which no quantity here can have.
    Negative,
    /// A share above 100 %.
    ShareAbove100,
    /// A concentration above 100 % (1 000 000 mg/kg).
    ConcentrationAbove100,
    /// A number too large to represent (`1e999 kg`).
    NotFinite,
    /// A result below the detection limit written in none of the accepted
    /// forms (`n.d.` without its limit, `<= 2 mg/kg`, ...).
    MalformedBelowDetection {
        /// The text as written.
        text: String,
    },
    /// A result below the detection limit for a quantity that is not a
    /// concentration (`< 5 %` of a recycled share).
    BelowDetectionNotConcentration {
        /// The dimension the field needs.
        expected: Dimension,
    },
    /// A detection limit of 0 (`< 0 mg/kg`), which bounds nothing a lab measures.
    ZeroDetectionLimit,
}

impl QuantityError {
    /// The diagnostic code: `invalid-quantity`, `unknown-unit`,
    /// `wrong-dimension`, `negative` or `out-of-range`.
    pub fn code(&self) -> Code {
        match self {
            QuantityError::NotAQuantity { .. }
            | QuantityError::NotANumber { .. }
            | QuantityError::MissingUnit { .. }
            | QuantityError::MalformedBelowDetection { .. }
            | QuantityError::BelowDetectionNotConcentration { .. } => Code::InvalidQuantity,
            QuantityError::UnknownUnit { .. } => Code::UnknownUnit,
            QuantityError::WrongDimension { .. } => Code::WrongDimension,
            QuantityError::Negative => Code::Negative,
            QuantityError::ShareAbove100
            | QuantityError::ConcentrationAbove100
            | QuantityError::NotFinite
            | QuantityError::ZeroDetectionLimit => Code::OutOfRange,
        }
    }
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuantityError::NotAQuantity { found } => write!(
                f,
                "not a number: expected a number or a string such as `1.2 kg`, found {found}"
            ),
            QuantityError::NotANumber { text } => write!(
                f,
                "not a number: `{text}` is not of the form `<number> <unit>` (e.g. `1.2 kg`)"
            ),
            QuantityError::MissingUnit { text } => write!(
                f,
                "`{text}` has no unit: write a bare number for the canonical unit, or a number and a unit"
            ),
            QuantityError::UnknownUnit { unit, suggestion } => {
                write!(f, "unknown unit `{unit}`")?;
                if let Some(s) = suggestion {
                    write!(f, " (did you mean `{s}`?)")?;
                }
                Ok(())
            }
            QuantityError::WrongDimension {
                unit,
                found,
                expected,
            } => write!(
                f,
                "`{unit}` is {}, expected {} ({})",
                found.describe(),
                expected.describe(),
                expected.unit_hint()
            ),
            QuantityError::Negative => f.write_str("negative value"),
            QuantityError::ShareAbove100 => f.write_str("share above 100 %"),
            QuantityError::ConcentrationAbove100 => {
                f.write_str("concentration above 100 % (1 000 000 mg/kg)")
            }
            QuantityError::NotFinite => f.write_str("number too large"),
            QuantityError::MalformedBelowDetection { text } => write!(
                f,
                "`{text}` is not a result below the detection limit as recert reads one: write `< 2 mg/kg` or `n.d. (LOD 2 mg/kg)`"
            ),
            QuantityError::BelowDetectionNotConcentration { expected } => write!(
                f,
                "only a concentration can be given as below the detection limit, and this is {}",
                expected.describe()
            ),
            QuantityError::ZeroDetectionLimit => {
                f.write_str("a detection limit of 0 bounds nothing: give the lab's detection limit")
            }
        }
    }
}

impl std::error::Error for QuantityError {}

/// The hint listing the units a dimension accepts, for diagnostics.
pub(crate) fn accepted_units(dimension: Dimension) -> String {
    if dimension == Dimension::Share {
        return "a share is a bare number from 0 to 100, or a string such as `25 %`".to_owned();
    }
    format!(
        "{} is written as a bare number (meaning {}) or with one of: {}",
        capitalize(dimension.describe()),
        dimension.canonical_unit(),
        dimension.unit_hint()
    )
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A quantity (a bare number in the canonical unit, or `"<number> <unit>"`)
/// converted to the canonical unit of `dimension`, checked for range: never
/// negative, shares at most 100 %, concentrations at most 1 000 000 mg/kg.
pub fn parse_quantity(value: &Value, dimension: Dimension) -> Result<f64, QuantityError> {
    let number = match value {
        Value::Number(n) => n.as_f64().ok_or(QuantityError::NotFinite)?,
        Value::String(text) => return parse_quantity_text(text, dimension).map(|(n, _)| n),
        Value::Null => return Err(QuantityError::NotAQuantity { found: "null" }),
        Value::Bool(_) => return Err(QuantityError::NotAQuantity { found: "a boolean" }),
        Value::Array(_) => return Err(QuantityError::NotAQuantity { found: "a list" }),
        Value::Object(_) => return Err(QuantityError::NotAQuantity { found: "a mapping" }),
    };
    check_range(number, dimension)
}

/// [`parse_quantity`] of a quantity written as a string, from the borrowed
/// text (the submission loader converts while parsing, before any `Value`),
/// and whether the text's unit is the canonical one (`"12 mg/kg"`, not
/// `"12 ppm"`).
pub(crate) fn parse_quantity_text(
    text: &str,
    dimension: Dimension,
) -> Result<(f64, bool), QuantityError> {
    if let Some(limit) = below_detection_limit(text) {
        if dimension != Dimension::Concentration {
            return Err(QuantityError::BelowDetectionNotConcentration {
                expected: dimension,
            });
        }
        let limit = limit.ok_or_else(|| QuantityError::MalformedBelowDetection {
            text: text.to_owned(),
        })?;
        let (number, _) = parse_text(limit, dimension)?;
        let number = check_range(number, dimension)?;
        if number == 0.0 {
            return Err(QuantityError::ZeroDetectionLimit);
        }
        // Never canonical: the report shows the text, and the value is a bound.
        return Ok((number, false));
    }
    let (number, unit) = parse_text(text, dimension)?;
    Ok((
        check_range(number, dimension)?,
        unit.spelling == dimension.canonical_unit(),
    ))
}

/// Whether `text` is written as a result below the detection limit: it
/// starts with `<` or with `n.d.`, `N.D.`, `nd` or `ND` followed by a
/// space. `Some(Some(limit))` holds the limit as a quantity text
/// (`2 mg/kg`) when the form is one of the accepted ones:
///
/// - `< 2 mg/kg` (also `<2 mg/kg`),
/// - `n.d. (LOD 2 mg/kg)`, `N.D. (LOD 2 mg/kg)`, `nd (LOD 2 mg/kg)`, `ND (LOD 2 mg/kg)`;
///
/// `Some(None)` for any other text that starts like one (`n.d.` alone,
/// `<= 2 mg/kg`, `n.d. (2 mg/kg)`).
pub fn below_detection_limit(text: &str) -> Option<Option<&str>> {
    if let Some(rest) = text.strip_prefix('<') {
        let limit = rest.strip_prefix(' ').unwrap_or(rest);
        let plain = limit.starts_with(|c: char| c.is_ascii_digit());
        return Some(plain.then_some(limit));
    }
    let rest = ["n.d.", "N.D.", "nd", "ND"]
        .iter()
        .find_map(|nd| text.strip_prefix(nd))
        .filter(|rest| rest.is_empty() || rest.starts_with([' ', '(']))?;
    Some(
        rest.strip_prefix(" (LOD ")
            .and_then(|r| r.strip_suffix(')'))
            .filter(|limit| limit.starts_with(|c: char| c.is_ascii_digit())),
    )
}

fn check_range(number: f64, dimension: Dimension) -> Result<f64, QuantityError> {
    if !number.is_finite() {
        return Err(QuantityError::NotFinite);
    }
    if number < 0.0 {
        return Err(QuantityError::Negative);
    }
    match dimension {
        Dimension::Share if number > 100.0 => Err(QuantityError::ShareAbove100),
        Dimension::Concentration if number > MAX_CONCENTRATION => {
            Err(QuantityError::ConcentrationAbove100)
        }
        // `-0` becomes `0`.
        _ => Ok(number + 0.0),
    }
}

/// The parts of a decimal number as written.
struct Decimal<'a> {
    negative: bool,
    integer: &'a str,
    fraction: &'a str,
    /// The explicit exponent, saturated (a huge exponent still overflows).
    exponent: i64,
    /// The digits of `integer` and `fraction` as an integer, when they fit.
    mantissa: Option<u64>,
}

/// Splits `text` into a decimal number and the rest, or `None` when it does
/// not start with `-?digits`.
fn split_number(text: &str) -> Option<(Decimal<'_>, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let negative = bytes.first() == Some(&b'-');
    if negative {
        i += 1;
    }
    let int_start = i;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == int_start {
        return None;
    }
    let integer = text.get(int_start..i)?;
    let mut mantissa = Some(0u64);
    let mut accumulate = |digit: u8| {
        mantissa = mantissa
            .and_then(|m| m.checked_mul(10))
            .and_then(|m| m.checked_add(u64::from(digit - b'0')));
    };
    integer.bytes().for_each(&mut accumulate);
    let mut fraction = "";
    if bytes.get(i) == Some(&b'.') {
        let frac_start = i + 1;
        let mut j = frac_start;
        while bytes.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if j == frac_start {
            return None;
        }
        fraction = text.get(frac_start..j)?;
        fraction.bytes().for_each(&mut accumulate);
        i = j;
    }
    let mut exponent: i64 = 0;
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        let exp_negative = match bytes.get(j) {
            Some(b'-') => {
                j += 1;
                true
            }
            Some(b'+') => {
                j += 1;
                false
            }
            _ => false,
        };
        let digits_start = j;
        while let Some(d) = bytes.get(j).filter(|b| b.is_ascii_digit()) {
            exponent = exponent
                .saturating_mul(10)
                .saturating_add(i64::from(d - b'0'));
            j += 1;
        }
        if j == digits_start {
            return None;
        }
        if exp_negative {
            exponent = -exponent;
        }
        i = j;
    }
    let rest = text.get(i..)?;
    Some((
        Decimal {
            negative,
            integer,
            fraction,
            exponent,
            mantissa,
        },
        rest,
    ))
}

/// The unit of `dimension` spelt `spelling`, or why there is none.
fn find_unit(spelling: &str, dimension: Dimension) -> Result<&'static Unit, QuantityError> {
    if let Some(u) = UNITS
        .iter()
        .find(|u| u.dimension == dimension && u.spelling == spelling)
    {
        return Ok(u);
    }
    if let Some(u) = UNITS.iter().find(|u| u.spelling == spelling) {
        return Err(QuantityError::WrongDimension {
            unit: spelling.to_owned(),
            found: u.dimension,
            expected: dimension,
        });
    }
    let suggestion = UNITS
        .iter()
        .find(|u| u.dimension == dimension && u.spelling.eq_ignore_ascii_case(spelling))
        .or_else(|| {
            UNITS.iter().find(|u| {
                u.dimension == dimension && spelling.strip_suffix('s') == Some(u.spelling)
            })
        })
        .map(|u| u.spelling);
    Err(QuantityError::UnknownUnit {
        unit: spelling.to_owned(),
        suggestion,
    })
}

fn parse_text(text: &str, dimension: Dimension) -> Result<(f64, &'static Unit), QuantityError> {
    let Some((decimal, rest)) = split_number(text) else {
        return Err(QuantityError::NotANumber {
            text: text.to_owned(),
        });
    };
    if rest.is_empty() {
        return Err(QuantityError::MissingUnit {
            text: text.to_owned(),
        });
    }
    let spelling = rest.strip_prefix(' ').unwrap_or(rest);
    if spelling.is_empty() || spelling.starts_with(char::is_whitespace) {
        return Err(QuantityError::NotANumber {
            text: text.to_owned(),
        });
    }
    let unit = find_unit(spelling, dimension)?;
    let value = scaled(&decimal, unit.exp10);
    if value < 0.0 || (decimal.negative && value == 0.0 && has_nonzero_digit(&decimal)) {
        // A negative number so small it underflowed is still negative.
        return Err(QuantityError::Negative);
    }
    Ok((value, unit))
}

fn has_nonzero_digit(decimal: &Decimal<'_>) -> bool {
    decimal
        .integer
        .bytes()
        .chain(decimal.fraction.bytes())
        .any(|b| b != b'0')
}

/// `decimal * 10^exp10`, correctly rounded: the digits are written once with
/// the shifted exponent and parsed by the standard library.
fn scaled(decimal: &Decimal<'_>, exp10: i32) -> f64 {
    let fraction_len = i64::try_from(decimal.fraction.len()).unwrap_or(i64::MAX);
    let exponent = decimal
        .exponent
        .saturating_sub(fraction_len)
        .saturating_add(i64::from(exp10));
    if let Some(value) = fast_path(decimal.mantissa, exponent) {
        return if decimal.negative { -value } else { value };
    }
    let mut buf = NumberBuf::new();
    let written = buf.push_str(if decimal.negative { "-" } else { "" })
        && buf.push_str(decimal.integer)
        && buf.push_str(decimal.fraction)
        && buf.push_exponent(exponent);
    let parsed = if written {
        buf.as_str().and_then(|s| s.parse::<f64>().ok())
    } else {
        let mut text = String::with_capacity(decimal.integer.len() + decimal.fraction.len() + 24);
        if decimal.negative {
            text.push('-');
        }
        text.push_str(decimal.integer);
        text.push_str(decimal.fraction);
        text.push('e');
        text.push_str(&exponent.to_string());
        text.parse::<f64>().ok()
    };
    parsed.unwrap_or(f64::NAN)
}

/// Exact powers of ten representable as `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `mantissa * 10^exponent` when both factors are exact doubles, so that one
/// correctly rounded operation gives the correctly rounded result (Clinger's
/// fast path); `None` otherwise.
fn fast_path(mantissa: Option<u64>, exponent: i64) -> Option<f64> {
    let mantissa = mantissa.filter(|m| *m <= 1 << 53)?;
    #[allow(clippy::cast_precision_loss)] // exact: at most 2^53
    let m = mantissa as f64;
    let power = POW10.get(usize::try_from(exponent.unsigned_abs()).ok()?)?;
    Some(if exponent >= 0 { m * power } else { m / power })
}

/// A small stack buffer for writing a number without a heap allocation.
struct NumberBuf {
    bytes: [u8; 64],
    len: usize,
}

impl NumberBuf {
    fn new() -> Self {
        NumberBuf {
            bytes: [0; 64],
            len: 0,
        }
    }

    fn push_str(&mut self, s: &str) -> bool {
        let end = self.len + s.len();
        match self.bytes.get_mut(self.len..end) {
            Some(slot) => {
                slot.copy_from_slice(s.as_bytes());
                self.len = end;
                true
            }
            None => false,
        }
    }

    fn push_exponent(&mut self, exponent: i64) -> bool {
        if !self.push_str("e") {
            return false;
        }
        self.push_str(itoa::Buffer::new().format(exponent))
    }

    fn as_str(&self) -> Option<&str> {
        self.bytes
            .get(..self.len)
            .and_then(|b| std::str::from_utf8(b).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(text: &str, dimension: Dimension) -> Result<f64, QuantityError> {
        parse_quantity(&json!(text), dimension)
    }

    #[test]
    fn every_unit_in_the_table_converts() {
        let cases: &[(&str, Dimension, f64)] = &[
            ("1.2 kg", Dimension::Mass, 1.2),
            ("250 g", Dimension::Mass, 0.25),
            ("1500 mg", Dimension::Mass, 0.0015),
            ("1.1 t", Dimension::Mass, 1100.0),
            ("25 %", Dimension::Share, 25.0),
            ("25%", Dimension::Share, 25.0),
            ("20 mg/kg", Dimension::Concentration, 20.0),
            ("500 ppm", Dimension::Concentration, 500.0),
            ("500ppm", Dimension::Concentration, 500.0),
            ("0.05 %", Dimension::Concentration, 500.0),
            ("0.05%", Dimension::Concentration, 500.0),
            ("0.05 wt%", Dimension::Concentration, 500.0),
            ("0.1 g/kg", Dimension::Concentration, 100.0),
            ("7 µg/g", Dimension::Concentration, 7.0),
            ("7 μg/g", Dimension::Concentration, 7.0),
            ("7 ug/g", Dimension::Concentration, 7.0),
            ("3 ppb", Dimension::Concentration, 0.003),
            ("75 kWh", Dimension::Energy, 75.0),
            ("750 Wh", Dimension::Energy, 0.75),
            ("1.5 MWh", Dimension::Energy, 1500.0),
            ("12 g/10min", Dimension::MeltFlowRate, 12.0),
            ("12 g/10 min", Dimension::MeltFlowRate, 12.0),
            ("0.91 g/cm3", Dimension::Density, 0.91),
            ("0.91 g/cm³", Dimension::Density, 0.91),
            ("910 kg/m3", Dimension::Density, 0.91),
            ("910 kg/m³", Dimension::Density, 0.91),
            ("2.0 mm", Dimension::Length, 2.0),
            ("0.2 cm", Dimension::Length, 2.0),
            ("0.002 m", Dimension::Length, 2.0),
            ("200 µm", Dimension::Length, 0.2),
            ("200 μm", Dimension::Length, 0.2),
            ("200 um", Dimension::Length, 0.2),
            ("24 MPa", Dimension::Strength, 24.0),
            ("24 N/mm2", Dimension::Strength, 24.0),
            ("24 N/mm²", Dimension::Strength, 24.0),
            ("2.4 GPa", Dimension::Strength, 2400.0),
            ("0.80 dL/g", Dimension::IntrinsicViscosity, 0.8),
            ("0.8 dl/g", Dimension::IntrinsicViscosity, 0.8),
        ];
        for (text, dimension, expected) in cases {
            assert_eq!(q(text, *dimension), Ok(*expected), "{text}");
        }
        // Every spelling of the table is covered above.
        for u in UNITS {
            assert!(
                cases
                    .iter()
                    .any(|(t, d, _)| *d == u.dimension && t.ends_with(u.spelling)),
                "no case for {}",
                u.spelling
            );
        }
    }

    #[test]
    fn conversion_is_exact_where_multiplication_is_not() {
        assert_ne!(0.07_f64 * 10_000.0, 700.0);
        assert_eq!(q("0.07 %", Dimension::Concentration), Ok(700.0));
        assert_eq!(q("0.05 %", Dimension::Concentration), Ok(500.0));
        assert_eq!(q("0.3 g", Dimension::Mass), Ok(0.0003));
        assert_eq!(q("0.0007 wt%", Dimension::Concentration), Ok(7.0));
        assert_eq!(q("0.001 %", Dimension::Concentration), Ok(10.0));
        assert_eq!(q("1e-2 %", Dimension::Concentration), Ok(100.0));
        assert_eq!(q("2.5E3 g", Dimension::Mass), Ok(2.5));
        // A number longer than the stack buffer still converts.
        let long = format!("0.{}1 %", "0".repeat(80));
        assert_eq!(q(&long, Dimension::Concentration), Ok(1e-77));
    }

    #[test]
    fn bare_numbers_are_canonical() {
        assert_eq!(parse_quantity(&json!(12), Dimension::Mass), Ok(12.0));
        assert_eq!(parse_quantity(&json!(0.5), Dimension::Share), Ok(0.5));
        assert_eq!(parse_quantity(&json!(100), Dimension::Share), Ok(100.0));
        let zero = parse_quantity(&json!(-0.0), Dimension::Mass);
        assert_eq!(zero.map(f64::is_sign_negative), Ok(false));
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(
            q("5 kgs", Dimension::Concentration)
                .map_err(|e| e.to_string())
                .unwrap_err(),
            "unknown unit `kgs`"
        );
        assert_eq!(
            q("5 kgs", Dimension::Mass).unwrap_err(),
            QuantityError::UnknownUnit {
                unit: "kgs".into(),
                suggestion: Some("kg")
            }
        );
        assert_eq!(
            q("5 kwh", Dimension::Energy).unwrap_err(),
            QuantityError::UnknownUnit {
                unit: "kwh".into(),
                suggestion: Some("kWh")
            }
        );
        let wrong = q("5 kg", Dimension::Concentration).unwrap_err();
        assert_eq!(wrong.code(), "wrong-dimension");
        assert_eq!(
            wrong.to_string(),
            "`kg` is a mass, expected a concentration (mg/kg, ppm, %, wt%, g/kg, µg/g, ug/g, ppb)"
        );
        assert_eq!(
            q("5 ppm", Dimension::Share).unwrap_err().code(),
            "wrong-dimension"
        );
        assert_eq!(
            q("5 wt%", Dimension::Share).unwrap_err().code(),
            "wrong-dimension"
        );
        assert_eq!(q("-1 kg", Dimension::Mass), Err(QuantityError::Negative));
        assert_eq!(
            parse_quantity(&json!(-1), Dimension::Mass),
            Err(QuantityError::Negative)
        );
        assert_eq!(
            q("-1e-400 kg", Dimension::Mass),
            Err(QuantityError::Negative)
        );
        assert_eq!(
            q("120 %", Dimension::Share),
            Err(QuantityError::ShareAbove100)
        );
        assert_eq!(
            parse_quantity(&json!(100.5), Dimension::Share),
            Err(QuantityError::ShareAbove100)
        );
        assert_eq!(
            q("120 %", Dimension::Concentration),
            Err(QuantityError::ConcentrationAbove100)
        );
        assert_eq!(
            q("1e999 kg", Dimension::Mass),
            Err(QuantityError::NotFinite)
        );
        assert_eq!(
            q("1e99999999999999999999 kg", Dimension::Mass),
            Err(QuantityError::NotFinite)
        );
        assert_eq!(
            q("ten kg", Dimension::Mass).unwrap_err().code(),
            "invalid-quantity"
        );
        assert_eq!(
            q("20", Dimension::Mass).unwrap_err().code(),
            "invalid-quantity"
        );
        assert_eq!(
            parse_quantity(&json!(true), Dimension::Mass)
                .unwrap_err()
                .code(),
            "invalid-quantity"
        );
    }

    #[test]
    fn strict_about_everything_else() {
        for text in [
            " 5 kg", "5 kg ", "5  kg", "+5 kg", "5. kg", ".5 kg", "5,0 kg", "1 000 kg", "5\tkg",
            "5 Kg", "5 KG", "5e kg", "",
        ] {
            assert!(q(text, Dimension::Mass).is_err(), "accepted {text:?}");
        }
    }

    #[test]
    fn results_below_the_detection_limit_are_their_limit() {
        for (text, expected) in [
            ("< 2 mg/kg", 2.0),
            ("<2 mg/kg", 2.0),
            ("< 0.0002 %", 2.0),
            ("< 2000 ppb", 2.0),
            ("n.d. (LOD 2 mg/kg)", 2.0),
            ("N.D. (LOD 2 ppm)", 2.0),
            ("nd (LOD 0.5 mg/kg)", 0.5),
            ("ND (LOD 2 µg/g)", 2.0),
        ] {
            assert_eq!(
                parse_quantity_text(text, Dimension::Concentration),
                Ok((expected, false)),
                "{text}"
            );
        }
        for text in [
            "n.d.",
            "nd",
            "ND (2 mg/kg)",
            "n.d. (LOD)",
            "n.d. (LOD 2 mg/kg",
            "n.d.(LOD 2 mg/kg)",
            "<= 2 mg/kg",
            "<  2 mg/kg",
            "< LOD",
            "< -2 mg/kg",
        ] {
            let error = q(text, Dimension::Concentration).unwrap_err();
            assert_eq!(error.code(), "invalid-quantity", "{text}: {error}");
            assert!(error.to_string().contains("`< 2 mg/kg`"), "{text}: {error}");
        }
        // The limit itself follows the rules of any quantity.
        assert_eq!(
            q("< 2 kg", Dimension::Concentration).unwrap_err().code(),
            "wrong-dimension"
        );
        assert_eq!(
            q("< 2", Dimension::Concentration).unwrap_err().code(),
            "invalid-quantity"
        );
        assert_eq!(
            q("< 120 %", Dimension::Concentration),
            Err(QuantityError::ConcentrationAbove100)
        );
        assert_eq!(
            q("< 0 mg/kg", Dimension::Concentration),
            Err(QuantityError::ZeroDetectionLimit)
        );
        // Only concentrations have detection limits.
        let share = q("< 5 %", Dimension::Share).unwrap_err();
        assert_eq!(share.code(), "invalid-quantity");
        assert!(
            share.to_string().contains("only a concentration"),
            "{share}"
        );
    }

    #[test]
    fn units_know_their_dimension() {
        assert_eq!(Dimension::from_unit("ppm"), Some(Dimension::Concentration));
        assert_eq!(Dimension::from_unit("%"), Some(Dimension::Share));
        assert_eq!(Dimension::from_unit("wt%"), Some(Dimension::Concentration));
        assert_eq!(Dimension::from_unit("N/mm2"), Some(Dimension::Strength));
        assert_eq!(Dimension::from_unit("kgs"), None);
        for d in Dimension::ALL {
            assert_eq!(Dimension::from_unit(d.canonical_unit()), Some(d));
            assert_eq!(d.units().next(), Some(d.canonical_unit()));
        }
        assert_eq!(Dimension::MeltFlowRate.to_string(), "melt flow rate");
        assert_eq!(
            Dimension::IntrinsicViscosity.to_string(),
            "intrinsic viscosity"
        );
    }
}
