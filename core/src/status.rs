//! Statuses, reasons and the roll-up order (checks.md § Statuses).

use serde::Serialize;

/// The status of one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ready,
    Advisory,
    NotReady,
    Error,
    NotEvaluated,
    NotApplicable,
    Info,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ready => "ready",
            Status::Advisory => "advisory",
            Status::NotReady => "not_ready",
            Status::Error => "error",
            Status::NotEvaluated => "not_evaluated",
            Status::NotApplicable => "not_applicable",
            Status::Info => "info",
        }
    }
}

/// Why a finding is `not_evaluated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    MissingInput,
    BetaOnlyField,
    TruncatedInput,
    NeedsDeviceEvidence,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::MissingInput => "missing_input",
            Reason::BetaOnlyField => "beta_only_field",
            Reason::TruncatedInput => "truncated_input",
            Reason::NeedsDeviceEvidence => "needs_device_evidence",
        }
    }
    pub const ALL: [Reason; 4] = [
        Reason::MissingInput,
        Reason::BetaOnlyField,
        Reason::TruncatedInput,
        Reason::NeedsDeviceEvidence,
    ];
}

/// A roll-up value: what a finding contributes to a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ready,
    Advisory,
    NotReady,
    Error,
}

impl Verdict {
    /// Severity order: not_ready > error > advisory > ready.
    pub fn rank(self) -> u8 {
        match self {
            Verdict::Ready => 0,
            Verdict::Advisory => 1,
            Verdict::Error => 2,
            Verdict::NotReady => 3,
        }
    }
    pub fn worst(self, other: Verdict) -> Verdict {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::Advisory => "advisory",
            Verdict::NotReady => "not_ready",
            Verdict::Error => "error",
        }
    }
    /// Process exit code of every command-line host.
    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Ready => 0,
            Verdict::Advisory => 1,
            Verdict::NotReady => 2,
            Verdict::Error => 3,
        }
    }
    pub fn parse(s: &str) -> Option<Verdict> {
        match s {
            "ready" => Some(Verdict::Ready),
            "advisory" => Some(Verdict::Advisory),
            "not_ready" => Some(Verdict::NotReady),
            "error" => Some(Verdict::Error),
            _ => None,
        }
    }
}

/// What a finding contributes to a roll-up, if anything.
pub fn rollup(status: Status, reason: Option<Reason>) -> Option<Verdict> {
    match status {
        Status::Ready => Some(Verdict::Ready),
        Status::Advisory => Some(Verdict::Advisory),
        Status::NotReady => Some(Verdict::NotReady),
        Status::Error => Some(Verdict::Error),
        Status::NotEvaluated => match reason {
            Some(Reason::NeedsDeviceEvidence) => None,
            _ => Some(Verdict::Advisory),
        },
        Status::NotApplicable | Status::Info => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_not_ready_error_advisory_ready() {
        assert_eq!(Verdict::Error.worst(Verdict::NotReady), Verdict::NotReady);
        assert_eq!(Verdict::Advisory.worst(Verdict::Error), Verdict::Error);
        assert_eq!(Verdict::Ready.worst(Verdict::Advisory), Verdict::Advisory);
    }

    #[test]
    fn device_evidence_gaps_do_not_roll_up() {
        assert_eq!(
            rollup(Status::NotEvaluated, Some(Reason::NeedsDeviceEvidence)),
            None
        );
        assert_eq!(
            rollup(Status::NotEvaluated, Some(Reason::MissingInput)),
            Some(Verdict::Advisory)
        );
        assert_eq!(rollup(Status::Info, None), None);
    }
}
