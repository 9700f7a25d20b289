//! Numbers as people read them in reports: `1000`, `0.025`, `16.5`, `14.29`.

/// Formats `value` as people write it: at most 2 decimals from 1 up
/// (`14.29`, not `14.2941`), 3 significant digits below 1 (`0.025`,
/// `0.000123`), and no trailing zeros. The plugin interface's, so that
/// plugins (through their SDK) write numbers as reports do.
pub use recert_plugin_abi::format_number;

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
        assert_eq!(format_number(33.333333333), "33.33");
        assert_eq!(format_number(14.2941), "14.29");
        assert_eq!(format_number(1.005), "1");
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(500.00000000000006), "500");
        assert_eq!(format_number(-2.5), "-2.5");
        assert_eq!(format_number(0.000123456789), "0.000123");
        assert_eq!(format_number(0.99999), "1");
    }
}
