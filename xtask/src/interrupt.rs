//! Signals. `run` leaves Ctrl-C to the server it starts; while xtask holds something that
//! must be cleaned up (a throwaway PostgreSQL cluster), Ctrl-C, SIGTERM and SIGHUP are
//! noted instead of ending xtask at once, and delivered again once it is cleaned up, so
//! the process still ends as it would have, only tidily.
//!
//! Standard library only: the few libc calls are declared here, as `run` did before.

pub use imp::*;

#[cfg(unix)]
mod imp {
    use std::os::unix::process::CommandExt;
    use std::process::Command;
    use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering::SeqCst};

    const SIGHUP: i32 = 1;
    const SIGINT: i32 = 2;
    const SIGTERM: i32 = 15;
    const SIG_DFL: usize = 0;
    const SIG_IGN: usize = 1;
    /// What a person or a CI runner sends to stop a run.
    const STOPPING: [i32; 3] = [SIGHUP, SIGINT, SIGTERM];

    extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
        fn raise(signum: i32) -> i32;
        fn kill(pid: i32, signum: i32) -> i32;
    }

    /// From now on xtask ignores SIGINT; `child` starts with the default disposition (an
    /// ignored signal would stay ignored across exec), so it behaves as if run by hand.
    pub fn leave_to_child(child: &mut Command) {
        // SAFETY: signal(2) with SIG_IGN/SIG_DFL installs no handler code; it is
        // async-signal-safe, as pre_exec requires between fork and exec.
        unsafe {
            signal(SIGINT, SIG_IGN);
            child.pre_exec(|| {
                signal(SIGINT, SIG_DFL);
                Ok(())
            });
        }
    }

    /// The signal noted while held, 0 if none.
    static CAUGHT: AtomicI32 = AtomicI32::new(0);
    /// How many holders there are; the dispositions change at the first and the last.
    static HOLDERS: AtomicUsize = AtomicUsize::new(0);
    /// The dispositions before the first hold, in the order of [`STOPPING`].
    static BEFORE: [AtomicUsize; 3] = [
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    ];

    extern "C" fn note(signum: i32) {
        // An atomic store is async-signal-safe.
        CAUGHT.store(signum, SeqCst);
    }

    /// Note stopping signals instead of dying of them, until the matching [`release`]. A
    /// signal this process ignores (`nohup`, or `run`'s SIGINT) stays ignored.
    pub fn hold() {
        if HOLDERS.fetch_add(1, SeqCst) != 0 {
            return;
        }
        let handler = note as extern "C" fn(i32) as usize;
        for (signum, before) in STOPPING.into_iter().zip(&BEFORE) {
            // SAFETY: `note` only stores to an atomic, which is async-signal-safe.
            let previous = unsafe { signal(signum, handler) };
            if previous == SIG_IGN {
                // SAFETY: as above, no handler code.
                unsafe { signal(signum, SIG_IGN) };
            }
            before.store(previous, SeqCst);
        }
    }

    /// Whether a stopping signal arrived while held.
    pub fn caught() -> bool {
        CAUGHT.load(SeqCst) != 0
    }

    /// Treat the signal noted so far as handled (`cargo xtask postgres` ends on Ctrl-C
    /// normally, with status 0).
    pub fn forget() {
        CAUGHT.store(0, SeqCst);
    }

    /// Ends a [`hold`]. At the last one the earlier dispositions come back, and a signal
    /// noted meanwhile is raised again: by default it ends the process now.
    pub fn release() {
        if HOLDERS.fetch_sub(1, SeqCst) != 1 {
            return;
        }
        for (signum, before) in STOPPING.into_iter().zip(&BEFORE) {
            // SAFETY: restores what signal(2) returned earlier for this signal.
            unsafe { signal(signum, before.load(SeqCst)) };
        }
        let signum = CAUGHT.swap(0, SeqCst);
        if signum != 0 {
            // SAFETY: raise(3) takes any signal number.
            unsafe { raise(signum) };
        }
    }

    /// Sends SIGINT to the process `pid` (PostgreSQL's "fast shutdown").
    pub fn interrupt(pid: u32) -> bool {
        let Ok(pid) = i32::try_from(pid) else {
            return false;
        };
        // SAFETY: kill(2) with a positive pid signals that one process only.
        unsafe { kill(pid, SIGINT) == 0 }
    }
}

#[cfg(not(unix))]
mod imp {
    pub fn leave_to_child(_child: &mut std::process::Command) {}
    pub fn hold() {}
    pub fn caught() -> bool {
        false
    }
    pub fn forget() {}
    pub fn release() {}
    pub fn interrupt(_pid: u32) -> bool {
        false
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_held_signal_is_noted_not_fatal() {
        // SIGTERM: the test harness's other threads never send or expect it, and unlike
        // SIGHUP it is not ignored under `nohup`, where `hold` would leave it ignored.
        hold();
        hold();
        // SAFETY: raise(3) of a signal whose handler only stores an atomic.
        unsafe { raise(15) };
        assert!(caught());
        forget();
        assert!(!caught());
        release();
        release();
        assert!(!caught());
    }

    extern "C" {
        fn raise(signum: i32) -> i32;
    }
}
