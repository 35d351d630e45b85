//! The server's memory while a benchmark runs: resident before a phase and its peak.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A `/proc/PID/status` field in kB (VmRSS, VmHWM).
pub fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// The server's memory during one phase: resident before, and the peak (the kernel's
/// high-water mark after a reset, or the highest sample).
pub struct Memory {
    pid: u32,
    before_kb: u64,
    hwm_reset: bool,
    peak_kb: Arc<AtomicU64>,
    sampler: tokio::task::JoinHandle<()>,
}

impl Memory {
    pub fn watch(pid: u32) -> Memory {
        // "5" resets the peak resident size to the present one (Linux 4.0+).
        let hwm_reset = std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok();
        let before_kb = status_kb(pid, "VmRSS").unwrap_or(0);
        let peak_kb = Arc::new(AtomicU64::new(before_kb));
        let peak = Arc::clone(&peak_kb);
        let sampler = tokio::spawn(async move {
            loop {
                if let Some(rss) = status_kb(pid, "VmRSS") {
                    peak.fetch_max(rss, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        Memory {
            pid,
            before_kb,
            hwm_reset,
            peak_kb,
            sampler,
        }
    }

    /// (resident before, peak during) in MB.
    pub fn finish(self) -> (f64, f64) {
        self.sampler.abort();
        let sampled = self.peak_kb.load(Ordering::Relaxed);
        let peak = match (self.hwm_reset, status_kb(self.pid, "VmHWM")) {
            (true, Some(hwm)) => hwm.max(sampled),
            _ => sampled,
        };
        (self.before_kb as f64 / 1024.0, peak as f64 / 1024.0)
    }
}
