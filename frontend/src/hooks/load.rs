//! Loading a list as the officer types: wait for a pause in typing, and drop answers to
//! requests that a newer one replaced.

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

/// Wait this long after the last keystroke before searching.
pub const SEARCH_DEBOUNCE_MS: u32 = 250;

/// Set once what a load started is no longer wanted.
#[derive(Clone, Debug, Default)]
pub struct Cancelled(Rc<Cell<bool>>);

impl Cancelled {
    pub fn get(&self) -> bool {
        self.0.get()
    }

    pub fn cancel(&self) {
        self.0.set(true);
    }
}

/// Runs `load` whenever `deps` change: at once when `search` is empty, else after a pause
/// in typing. The [`Cancelled`] it gets is set when `deps` change again or the page goes.
#[hook]
pub fn use_search_load<D, F>(deps: D, search: String, load: F)
where
    D: PartialEq + Clone + 'static,
    F: FnOnce(D, Cancelled) + 'static,
{
    let delay = if search.trim().is_empty() {
        0
    } else {
        SEARCH_DEBOUNCE_MS
    };
    use_effect_with(deps, move |deps| {
        let cancelled = Cancelled::default();
        let (deps, flag) = (deps.clone(), cancelled.clone());
        let timer = Timeout::new(delay, move || load(deps, flag));
        move || {
            cancelled.cancel();
            drop(timer);
        }
    });
}
