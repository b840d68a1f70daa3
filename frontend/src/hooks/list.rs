//! A list loaded one slice at a time, shared by the screens that list things: the first
//! slice (after a pause in typing when searching), "Xem thêm" with the cursor, the total,
//! loading again after an error, changes made in place, and the error to show.

use std::future::Future;
use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;

use super::load::use_search_load;
use crate::error::Error;
use crate::services::Slice;

/// What a list screen shows: one or more slices of a list, perhaps with a header.
pub trait Listing: Clone + PartialEq + 'static {
    /// Where the next slice starts, when there is one.
    fn next(&self) -> Option<String>;
    /// How many items the whole list has.
    fn total(&self) -> i64;
    /// How many items are loaded.
    fn shown(&self) -> usize;
    /// Adds the next slice, loaded from [`Listing::next`].
    fn append(&mut self, more: Self);
}

impl<T: Clone + PartialEq + 'static> Listing for Slice<T> {
    fn next(&self) -> Option<String> {
        self.next.clone()
    }

    fn total(&self) -> i64 {
        self.total
    }

    fn shown(&self) -> usize {
        self.items.len()
    }

    fn append(&mut self, more: Self) {
        self.items.extend(more.items);
        self.next = more.next;
        self.total = more.total;
    }
}

/// The list's state. `Q` is what the list is of (a unit, a search); `L` what is loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct ListState<Q, L> {
    /// What is shown, and the query it answers.
    pub loaded: Option<(Q, L)>,
    pub error: Option<Error>,
    pub loading: bool,
    pub loading_more: bool,
    /// Bumped to load again.
    pub reload: u32,
}

impl<Q, L> Default for ListState<Q, L> {
    fn default() -> Self {
        Self {
            loaded: None,
            error: None,
            loading: false,
            loading_more: false,
            reload: 0,
        }
    }
}

pub enum ListAction<Q, L> {
    Started,
    Loaded(Q, L),
    Failed(Error),
    MoreStarted,
    MoreLoaded(L),
    Reload,
    /// A change made to what is shown (a row saved, an item added).
    Edit(Box<dyn FnOnce(&mut L)>),
}

impl<Q: Clone + PartialEq + 'static, L: Listing> Reducible for ListState<Q, L> {
    type Action = ListAction<Q, L>;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            ListAction::Started => {
                next.loading = true;
                next.error = None;
            }
            ListAction::Loaded(query, listing) => {
                next.loading = false;
                next.loaded = Some((query, listing));
            }
            ListAction::Failed(error) => {
                next.loading = false;
                next.loading_more = false;
                next.error = Some(error);
            }
            ListAction::MoreStarted => {
                next.loading_more = true;
                next.error = None;
            }
            ListAction::MoreLoaded(more) => {
                next.loading_more = false;
                if let Some((_, listing)) = &mut next.loaded {
                    listing.append(more);
                }
            }
            ListAction::Reload => next.reload += 1,
            ListAction::Edit(edit) => {
                if let Some((_, listing)) = &mut next.loaded {
                    edit(listing);
                }
            }
        }
        Rc::new(next)
    }
}

/// A list as a screen sees it.
pub struct ListHandle<Q: Clone + PartialEq + 'static, L: Listing> {
    state: UseReducerHandle<ListState<Q, L>>,
    more: Callback<()>,
}

impl<Q: Clone + PartialEq + 'static, L: Listing> ListHandle<Q, L> {
    /// What is shown and the query it answers, which stays shown while the next query
    /// loads (the officer is typing).
    pub fn loaded(&self) -> Option<(&Q, &L)> {
        self.state
            .loaded
            .as_ref()
            .map(|(query, listing)| (query, listing))
    }

    pub fn error(&self) -> Option<&Error> {
        self.state.error.as_ref()
    }

    pub fn loading(&self) -> bool {
        self.state.loading
    }

    pub fn loading_more(&self) -> bool {
        self.state.loading_more
    }

    /// Loads the next slice of what is shown.
    pub fn more(&self) -> Callback<()> {
        self.more.clone()
    }

    /// Loads the list again (after an error).
    pub fn reload(&self) -> Callback<()> {
        let state = self.state.clone();
        Callback::from(move |()| state.dispatch(ListAction::Reload))
    }

    /// Changes what is shown in place: a row an action saved, an item just created.
    pub fn edit(&self, edit: impl FnOnce(&mut L) + 'static) {
        self.state.dispatch(ListAction::Edit(Box::new(edit)));
    }
}

impl<Q: Clone + PartialEq + 'static, L: Listing> Clone for ListHandle<Q, L> {
    fn clone(&self) -> Self {
        Self {
            state: self.state.clone(),
            more: self.more.clone(),
        }
    }
}

impl<Q: Clone + PartialEq + 'static, L: Listing> PartialEq for ListHandle<Q, L> {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state
    }
}

/// Loads the list `fetch` gives for `query`: the first slice whenever `query` changes (after
/// a pause in typing while `search` is not empty), the next one on
/// [`ListHandle::more`]. `fetch(query, after)` loads the slice after the cursor `after`.
#[hook]
pub fn use_list<Q, L, F, Fut>(query: Q, search: String, fetch: F) -> ListHandle<Q, L>
where
    Q: Clone + PartialEq + 'static,
    L: Listing,
    F: Fn(Q, Option<String>) -> Fut + 'static,
    Fut: Future<Output = Result<L, Error>> + 'static,
{
    let state = use_reducer(ListState::<Q, L>::default);
    let fetch = Rc::new(fetch);
    {
        let (state, fetch) = (state.clone(), fetch.clone());
        use_search_load(
            (query, state.reload),
            search,
            move |(query, _), cancelled| {
                state.dispatch(ListAction::Started);
                spawn_local(async move {
                    let result = fetch(query.clone(), None).await;
                    if !cancelled.get() {
                        state.dispatch(match result {
                            Ok(listing) => ListAction::Loaded(query, listing),
                            Err(error) => ListAction::Failed(error),
                        });
                    }
                });
            },
        );
    }
    let more = {
        let state = state.clone();
        Callback::from(move |()| {
            // The next slice of the list shown, whatever is being typed meanwhile.
            let Some((query, after)) = state
                .loaded
                .as_ref()
                .and_then(|(query, listing)| Some((query.clone(), listing.next()?)))
            else {
                return;
            };
            if state.loading_more {
                return;
            }
            state.dispatch(ListAction::MoreStarted);
            let (state, fetch) = (state.clone(), fetch.clone());
            spawn_local(async move {
                state.dispatch(match fetch(query, Some(after)).await {
                    Ok(more) => ListAction::MoreLoaded(more),
                    Err(error) => ListAction::Failed(error),
                });
            });
        })
    };
    ListHandle { state, more }
}

#[cfg(test)]
mod tests {
    use super::*;

    type State = ListState<&'static str, Slice<u32>>;

    fn slice(items: &[u32], next: Option<&str>) -> Slice<u32> {
        Slice {
            items: items.to_vec(),
            total: 3,
            next: next.map(str::to_owned),
        }
    }

    fn items(state: &State) -> Vec<u32> {
        state.loaded.as_ref().expect("loaded").1.items.clone()
    }

    #[test]
    fn more_appends_the_next_slice_and_moves_the_cursor() {
        let state = Rc::new(State::default())
            .reduce(ListAction::Loaded("518", slice(&[1, 2], Some("c2"))))
            .reduce(ListAction::MoreStarted)
            .reduce(ListAction::MoreLoaded(slice(&[3], None)));
        assert_eq!(items(&state), [1, 2, 3]);
        assert_eq!(state.loaded.as_ref().expect("loaded").1.next, None);
        assert!(!state.loading_more);
    }

    #[test]
    fn a_failure_keeps_what_was_shown_and_stops_the_spinners() {
        let state = Rc::new(State::default())
            .reduce(ListAction::Loaded("518", slice(&[1], Some("c1"))))
            .reduce(ListAction::MoreStarted)
            .reduce(ListAction::Failed(Error::Network));
        assert_eq!(items(&state), [1]);
        assert_eq!(state.error, Some(Error::Network));
        assert!(!state.loading && !state.loading_more);
    }

    #[test]
    fn an_edit_changes_what_is_shown_in_place() {
        let state = Rc::new(State::default())
            .reduce(ListAction::Loaded("518", slice(&[1, 2], None)))
            .reduce(ListAction::Edit(Box::new(|s: &mut Slice<u32>| {
                s.items.insert(0, 9);
                s.total += 1;
            })));
        assert_eq!(items(&state), [9, 1, 2]);
        assert_eq!(state.loaded.as_ref().expect("loaded").1.total, 4);
    }

    #[test]
    fn a_new_load_keeps_what_is_shown_until_it_answers() {
        let state = Rc::new(State::default())
            .reduce(ListAction::Loaded("518", slice(&[1], None)))
            .reduce(ListAction::Started);
        assert!(state.loading);
        assert!(state.loaded.as_ref().is_some_and(|(q, _)| *q == "518"));
    }
}
