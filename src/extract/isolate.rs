//! Running third-party extractors on untrusted input without letting them take
//! the process down.
//!
//! pdf-extract panics on many malformed files (out-of-range indexes, unwraps on
//! bad CMaps). [`quietly`] turns such a panic into an `Err` and keeps its message
//! off stderr: a panic hook installed once stays silent for the threads that asked
//! for quiet and delegates to the previous hook everywhere else.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

static HOOK: Once = Once::new();

fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, returning the panic message as an error if it panics.
pub(super) fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    let was = QUIET.with(|q| q.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error() {
        let r: Result<(), String> = quietly(|| panic!("index out of bounds"));
        assert_eq!(r, Err("index out of bounds".to_string()));
        assert_eq!(quietly(|| 7), Ok(7));
    }
}
