//! Where findings go as they are made.
//!
//! A report holds its findings, about 140 bytes each; a submission of
//! 100 000 components makes some three million, over 400 MB. So a report
//! past a number of findings is made in two passes: the first counts its
//! findings (the header of the report, written before them, says how many
//! of each there are, and its verdict comes from them) and drops them; the
//! second, [`replay`](super::replay), makes them again while the report is
//! written, and hands them out a chunk at a time, each with its fix text.
//! Evaluation is deterministic (plugins run on fixed clocks and a fuel
//! budget), and the second pass checks that it counted what the first did.

use super::Run;
use super::fix::KnownLines;
use crate::report::batch::FailedRules;
use crate::report::{Finding, Summary};

/// Findings made again are handed out in chunks of about this many, each
/// chunk with its fix texts.
pub(super) const CHUNK: usize = 4096;

/// What a pass keeps of findings it does not hold.
#[derive(Debug, Default)]
pub(super) struct Counted {
    pub(super) summary: Summary,
    pub(super) failed: FailedRules,
}

impl Counted {
    fn add(&mut self, finding: &Finding) {
        self.summary.add(finding);
        self.failed.note(finding);
    }
}

/// Where a pass's findings go.
pub(super) enum Sink<'s> {
    /// Held for the report, up to `limit`; past it, counted only (`counted`).
    Hold {
        limit: usize,
        counted: Option<Counted>,
    },
    /// Handed to `emit`, `chunk` at a time, and counted; after `emit`
    /// answers `false`, counted only. The lines their fixes name are
    /// `lines`.
    Emit {
        emit: &'s mut dyn FnMut(Finding) -> bool,
        chunk: usize,
        lines: &'s KnownLines,
        counted: Counted,
        stopped: bool,
    },
}

impl Run<'_, '_, '_> {
    /// Passes on the findings made so far, where the sink wants them now;
    /// `end`: the last findings of the pass. Called only between rules or
    /// components, where no finding waits for more of its texts.
    pub(super) fn settle(&mut self, end: bool) {
        match &mut self.sink {
            Sink::Hold { limit, counted } => {
                if counted.is_none() && self.findings.len() <= *limit {
                    if end {
                        self.missing_fixes();
                    }
                    return;
                }
                // Past the limit: the report will be written by a second
                // pass; its texts are not needed now.
                let counted = counted.get_or_insert_with(Counted::default);
                for finding in &self.findings {
                    counted.add(finding);
                }
                // What is held from now on is one rule's or component's.
                self.findings.clear();
                self.findings.shrink_to(1024);
                self.missing.clear();
                self.missing_texts.keep_places();
            }
            Sink::Emit { chunk, .. } => {
                if !end && self.findings.len() < *chunk {
                    return;
                }
                self.missing_fixes();
                let Sink::Emit {
                    emit,
                    counted,
                    stopped,
                    ..
                } = &mut self.sink
                else {
                    return;
                };
                for finding in self.findings.drain(..) {
                    counted.add(&finding);
                    if !*stopped {
                        *stopped = !emit(finding);
                    }
                }
            }
        }
    }
}
