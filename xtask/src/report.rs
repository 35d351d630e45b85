//! Steps with dependencies, timed, and one summary at the end.

use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Passed,
    Failed,
    NotRun,
}

struct Outcome {
    name: String,
    status: Status,
    duration: Duration,
    /// Why it failed, or which failed steps it needed.
    detail: String,
}

/// A step already recorded, for later steps to depend on.
#[derive(Clone, Copy)]
pub struct StepId(usize);

pub struct Report {
    outcomes: Vec<Outcome>,
    started: Instant,
}

impl Report {
    pub fn new() -> Self {
        Report {
            outcomes: Vec::new(),
            started: Instant::now(),
        }
    }

    /// Runs `body` as the step `name` unless a step it `needs` did not pass; a failure is
    /// recorded and the run goes on with the steps that do not need this one.
    pub fn step(
        &mut self,
        name: &str,
        needs: &[StepId],
        body: impl FnOnce() -> Result<(), String>,
    ) -> StepId {
        let id = StepId(self.outcomes.len());
        let missing: Vec<&str> = needs
            .iter()
            .map(|need| &self.outcomes[need.0])
            .filter(|need| need.status != Status::Passed)
            .map(|need| need.name.as_str())
            .collect();
        let outcome = if missing.is_empty() {
            println!("\n==> {name}");
            let start = Instant::now();
            let result = body();
            let duration = start.elapsed();
            match result {
                Ok(()) => {
                    println!("<== {name}: passed in {}", clock(duration));
                    Outcome::new(name, Status::Passed, duration, String::new())
                }
                Err(detail) => {
                    println!("<== {name}: FAILED in {}: {detail}", clock(duration));
                    Outcome::new(name, Status::Failed, duration, detail)
                }
            }
        } else {
            let detail = format!("needs {}", missing.join(", "));
            println!("\n==> {name}: not run ({detail})");
            Outcome::new(name, Status::NotRun, Duration::ZERO, detail)
        };
        self.outcomes.push(outcome);
        id
    }

    /// Prints the summary, ending with the line `N passed, N failed`; fails unless every
    /// step passed.
    pub fn finish(self) -> ExitCode {
        let count = |status| self.outcomes.iter().filter(|o| o.status == status).count();
        let (passed, failed, not_run) = (
            count(Status::Passed),
            count(Status::Failed),
            count(Status::NotRun),
        );
        let width = self
            .outcomes
            .iter()
            .map(|o| o.name.len())
            .max()
            .unwrap_or(0);
        println!("\n==================== summary ====================");
        for o in &self.outcomes {
            let (status, time) = match o.status {
                Status::Passed => ("passed", clock(o.duration)),
                Status::Failed => ("FAILED", clock(o.duration)),
                Status::NotRun => ("not run", "-".to_string()),
            };
            let mut detail = o.detail.lines();
            match detail.next() {
                None => println!("{status:<8} {time:>8}  {}", o.name),
                Some(first) => println!("{status:<8} {time:>8}  {:<width$}  ({first})", o.name),
            }
            // The command's own words on why, under the step they explain.
            for line in detail {
                println!("{:>19}| {line}", "");
            }
        }
        println!("total {}", clock(self.started.elapsed()));
        if not_run > 0 {
            println!("{not_run} not run (a step they need failed)");
        }
        println!("{passed} passed, {failed} failed");
        if failed == 0 && not_run == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}

impl Outcome {
    fn new(name: &str, status: Status, duration: Duration, detail: String) -> Self {
        Outcome {
            name: name.to_string(),
            status,
            duration,
            detail,
        }
    }
}

/// `m:ss.s`, the way a person reads a build time.
pub fn clock(duration: Duration) -> String {
    let tenths = duration.as_millis() / 100;
    format!("{}:{:02}.{}", tenths / 600, tenths / 10 % 60, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_reads_minutes_seconds_tenths() {
        assert_eq!(clock(Duration::from_millis(0)), "0:00.0");
        assert_eq!(clock(Duration::from_millis(61_250)), "1:01.2");
        assert_eq!(clock(Duration::from_secs(3_600)), "60:00.0");
    }

    #[test]
    fn a_step_whose_need_failed_is_not_run() {
        let mut report = Report::new();
        let broken = report.step("build", &[], || Err("boom".into()));
        let ran = std::cell::Cell::new(false);
        report.step("use the build", &[broken], || {
            ran.set(true);
            Ok(())
        });
        report.step("independent", &[], || Ok(()));
        assert!(!ran.get());
        let statuses: Vec<_> = report.outcomes.iter().map(|o| o.status).collect();
        assert!(statuses == [Status::Failed, Status::NotRun, Status::Passed]);
        assert_eq!(report.outcomes[1].detail, "needs build");
    }
}
