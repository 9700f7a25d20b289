//! The four metals of Regulation (EU) 2023/1542 Art. 8 and their minimum
//! recycled shares.
//!
//! Every number here is a default of a pack param (`rules/eu-batteries.yaml`
//! declares the same values with the same names; a test keeps them equal), so
//! a certification body sees and may override them like any pack param.

use recert_plugin_sdk::Date;
use recert_plugin_sdk::view::RecycledContent;

/// First day of the phase-1 minimums: Art. 8(2), "from 18 August 2031"
/// (STANDARDS B3).
pub const PHASE_1_FROM: Date = Date::ymd(2031, 8, 18);

/// First day of the phase-2 minimums: Art. 8(3), "from 18 August 2036"
/// (STANDARDS B4).
pub const PHASE_2_FROM: Date = Date::ymd(2036, 8, 18);

/// A phase of the Art. 8 minimums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Art. 8(2), from 2031-08-18 (B3).
    One,
    /// Art. 8(3), from 2036-08-18 (B4).
    Two,
}

impl Phase {
    /// The phases with their first days.
    pub const ALL: [(Date, Phase); 2] = [(PHASE_1_FROM, Phase::One), (PHASE_2_FROM, Phase::Two)];

    /// The year in param names (`rc_cobalt_min_2031`).
    pub fn year(self) -> u16 {
        match self {
            Phase::One => 2031,
            Phase::Two => 2036,
        }
    }

    /// The first day in force.
    pub fn from(self) -> Date {
        match self {
            Phase::One => PHASE_1_FROM,
            Phase::Two => PHASE_2_FROM,
        }
    }
}

/// A metal with an Art. 8 minimum recycled share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metal {
    /// Cobalt.
    Cobalt,
    /// Lead.
    Lead,
    /// Lithium.
    Lithium,
    /// Nickel.
    Nickel,
}

impl Metal {
    /// Every metal, in the order of Art. 8(2) (a) to (d).
    pub const ALL: [Metal; 4] = [Metal::Cobalt, Metal::Lead, Metal::Lithium, Metal::Nickel];

    /// The key in `battery.recycled_content`.
    pub fn key(self) -> &'static str {
        match self {
            Metal::Cobalt => "cobalt",
            Metal::Lead => "lead",
            Metal::Lithium => "lithium",
            Metal::Nickel => "nickel",
        }
    }

    /// The metal for a `battery.recycled_content` key.
    pub fn from_key(key: &str) -> Option<Metal> {
        Metal::ALL.into_iter().find(|m| m.key() == key)
    }

    /// Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Metal::Cobalt => "钴",
            Metal::Lead => "铅",
            Metal::Lithium => "锂",
            Metal::Nickel => "镍",
        }
    }

    /// The clause of a phase's minimum. Art. 8(2) lists "(a) 16 % cobalt;
    /// (b) 85 % lead; (c) 6 % lithium; (d) 6 % nickel" (B3). For Art. 8(3)
    /// (B4) only the paragraph was confirmed, so no point letter is cited.
    pub fn clause(self, phase: Phase) -> &'static str {
        match (phase, self) {
            (Phase::One, Metal::Cobalt) => "Art. 8(2)(a)",
            (Phase::One, Metal::Lead) => "Art. 8(2)(b)",
            (Phase::One, Metal::Lithium) => "Art. 8(2)(c)",
            (Phase::One, Metal::Nickel) => "Art. 8(2)(d)",
            (Phase::Two, _) => "Art. 8(3)",
        }
    }

    /// The default minimum share, % (the pack param's value).
    pub fn default_min(self, phase: Phase) -> f64 {
        match (phase, self) {
            // Art. 8(2)(a)-(d), STANDARDS B3.
            (Phase::One, Metal::Cobalt) => 16.0,
            (Phase::One, Metal::Lead) => 85.0,
            (Phase::One, Metal::Lithium) => 6.0,
            (Phase::One, Metal::Nickel) => 6.0,
            // Art. 8(3), STANDARDS B4.
            (Phase::Two, Metal::Cobalt) => 26.0,
            (Phase::Two, Metal::Lead) => 85.0,
            (Phase::Two, Metal::Lithium) => 12.0,
            (Phase::Two, Metal::Nickel) => 15.0,
        }
    }

    /// The pack param that holds a phase's minimum, e.g. `rc_cobalt_min_2031`.
    pub fn param(self, phase: Phase) -> String {
        format!("rc_{}_min_{}", self.key(), phase.year())
    }

    /// What the share is a share of (STANDARDS B5): cobalt, lithium and nickel
    /// are measured against the metal in the active materials, lead against
    /// the lead in the whole battery. Returns (en, zh).
    pub fn basis(self) -> (&'static str, &'static str) {
        match self {
            Metal::Lead => ("of the lead in the battery", "占电池中铅的比例"),
            _ => ("in the active materials", "占活性物质中该金属的比例"),
        }
    }

    /// The declared share, %.
    pub fn share(self, rc: &RecycledContent) -> Option<f64> {
        match self {
            Metal::Cobalt => rc.cobalt,
            Metal::Lead => rc.lead,
            Metal::Lithium => rc.lithium,
            Metal::Nickel => rc.nickel,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phase_dates_are_real_dates() {
        assert_eq!(Date::new(2031, 8, 18), Some(PHASE_1_FROM));
        assert_eq!(Date::new(2036, 8, 18), Some(PHASE_2_FROM));
    }

    #[test]
    fn minimums_are_art_8() {
        let one: Vec<f64> = Metal::ALL
            .iter()
            .map(|m| m.default_min(Phase::One))
            .collect();
        let two: Vec<f64> = Metal::ALL
            .iter()
            .map(|m| m.default_min(Phase::Two))
            .collect();
        // Co, Pb, Li, Ni.
        assert_eq!(one, [16.0, 85.0, 6.0, 6.0]);
        assert_eq!(two, [26.0, 85.0, 12.0, 15.0]);
        assert_eq!(Metal::Nickel.param(Phase::Two), "rc_nickel_min_2036");
        assert_eq!(Metal::Lead.clause(Phase::One), "Art. 8(2)(b)");
        assert_eq!(Metal::from_key("lithium"), Some(Metal::Lithium));
        assert_eq!(Metal::from_key("copper"), None);
    }
}
