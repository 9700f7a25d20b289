//! Exit codes (the contract of DESIGN.md).

/// What `recert` exits with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Pass, or a command that succeeded.
    Ok = 0,
    /// `check`: at least one submission fails. `test`: a case failed. `lint`: findings.
    Fail = 1,
    /// Usage error or invalid input: unreadable file, schema violation, bad pack.
    Invalid = 2,
    /// `check`: nothing failed but something could not be evaluated.
    Incomplete = 3,
    /// `check`: no rule of any pack applies to the submission.
    NotCovered = 4,
}

impl Exit {
    /// The code of a batch: invalid input first, then fail, then incomplete,
    /// then not covered, then pass.
    pub fn worst(self, other: Exit) -> Exit {
        fn rank(e: Exit) -> u8 {
            match e {
                Exit::Ok => 0,
                Exit::NotCovered => 1,
                Exit::Incomplete => 2,
                Exit::Fail => 3,
                Exit::Invalid => 4,
            }
        }
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

impl From<recert_engine::report::Verdict> for Exit {
    fn from(verdict: recert_engine::report::Verdict) -> Self {
        use recert_engine::report::Verdict;
        match verdict {
            Verdict::Pass => Exit::Ok,
            Verdict::Fail => Exit::Fail,
            Verdict::Incomplete => Exit::Incomplete,
            Verdict::NotCovered => Exit::NotCovered,
        }
    }
}
