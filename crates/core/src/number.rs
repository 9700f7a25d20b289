//! Numbers as people read them in reports: `1000`, `0.025`, `16.5`.

/// Formats `value` with at most 6 significant decimals and no trailing zeros.
pub fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value == value.trunc() && value.abs() < 1e15 {
        return format!("{}", value as i64);
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (5 - magnitude).clamp(0, 12) as usize;
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    };
    if text == "-0" { "0".to_owned() } else { text }
}

/// A number with its unit, `1000 mg/kg`.
pub fn quantity_text(value: f64, unit: Option<&str>) -> String {
    match unit {
        Some(unit) => format!("{} {unit}", format_number(value)),
        None => format_number(value),
    }
}

#[cfg(test)]
mod tests {
    use super::{format_number, quantity_text};

    #[test]
    fn quantities_carry_their_unit() {
        assert_eq!(quantity_text(1000.0, Some("mg/kg")), "1000 mg/kg");
        assert_eq!(quantity_text(0.5, None), "0.5");
    }

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(format_number(1000.0), "1000");
        assert_eq!(format_number(0.025), "0.025");
        assert_eq!(format_number(16.5), "16.5");
        assert_eq!(format_number(33.333333333), "33.3333");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(500.00000000000006), "500");
        assert_eq!(format_number(-2.5), "-2.5");
        assert_eq!(format_number(0.000123456789), "0.000123457");
    }
}
