//! One thing loaded for a screen (a page, a unit's draft), loaded again when what it is of
//! changes or on request.

use std::future::Future;

use yew::platform::spawn_local;
use yew::prelude::*;

use super::Cancelled;
use crate::error::Error;

/// What is loaded, for which key, and how to load it again.
pub struct FetchHandle<K, T> {
    /// The last answer and the key it is for; `None` until the first answer.
    pub answer: Option<(K, Result<T, Error>)>,
    reload: UseStateHandle<u32>,
}

impl<K: PartialEq, T> FetchHandle<K, T> {
    /// The answer for `key`, not one for an earlier key still on screen.
    pub fn for_key(&self, key: &K) -> Option<&Result<T, Error>> {
        self.answer
            .as_ref()
            .filter(|(k, _)| k == key)
            .map(|(_, answer)| answer)
    }

    pub fn reload(&self) -> Callback<()> {
        let reload = self.reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    }
}

/// Loads `fetch(key)` whenever `key` changes or [`FetchHandle::reload`] is called; an answer
/// for a key that changed meanwhile is dropped.
#[hook]
pub fn use_fetch<K, T, F, Fut>(key: K, fetch: F) -> FetchHandle<K, T>
where
    K: Clone + PartialEq + 'static,
    T: Clone + 'static,
    F: FnOnce(K) -> Fut + 'static,
    Fut: Future<Output = Result<T, Error>> + 'static,
{
    let answer = use_state(|| None::<(K, Result<T, Error>)>);
    let reload = use_state(|| 0_u32);
    {
        let answer = answer.clone();
        use_effect_with((key, *reload), move |(key, _)| {
            let cancelled = Cancelled::default();
            let (key, flag) = (key.clone(), cancelled.clone());
            spawn_local(async move {
                let result = fetch(key.clone()).await;
                if !flag.get() {
                    answer.set(Some((key, result)));
                }
            });
            move || cancelled.cancel()
        });
    }
    FetchHandle {
        answer: (*answer).clone(),
        reload,
    }
}
