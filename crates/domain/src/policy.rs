//! The authorization policy: one function every resolver goes through.
//!
//! An account acts at its unit U and reads everything in U's subtree. `Viewer` reads;
//! `Operator` also writes U's own objects; `Admin` also manages the accounts of U's subtree
//! and approves what U's descendants submit. Anything outside the subtree is denied as
//! [`Denied::NotFound`], exactly as if it did not exist; inside the subtree, a role that does
//! not allow the action is [`Denied::Forbidden`].

use uuid::Uuid;

use crate::account::{Account, Actor, Role};
use crate::unit::UnitPath;

/// What an actor wants to do to something that belongs to a unit (the target).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read an object of the target unit.
    Read,
    /// Create or change an object of the target unit: its page, staff, posts.
    Write,
    /// Approve what the target unit submitted: admins of the units above it.
    Approve,
    /// Suspend, close or reopen an object of the target unit, set its rollout plan, ask its
    /// subtree for reports: admins of the unit or above.
    Oversee,
    /// Submit the target unit's report to the level that asked for it: its own admins.
    SubmitReport,
    /// Read a directive the target unit issued to its subtree — a campaign, a share request
    /// and the post it asks to share: everyone below it as well as everyone above. The one
    /// deliberate read upward: a commune follows its province's and district's campaigns.
    ReadDirective,
    /// Ask the pages below the target unit to share one of its posts: its own admins.
    RequestShares,
    /// See the accounts of the target unit.
    ReadAccounts,
    /// See the audit trail of the target unit.
    ReadAudit,
    /// See one account of the target unit: an admin's, or the account itself.
    ReadAccount { account_id: Uuid },
    /// Create an account with this role at the target unit.
    CreateAccount { role: Role },
    /// Change an existing account of the target unit.
    ManageAccount {
        account_id: Uuid,
        role: Role,
        change: AccountChange,
    },
}

/// A change to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    /// New display name and, when `Some`, a new role.
    Edit {
        new_role: Option<Role>,
    },
    /// Enable again an account disabled by an admin of the unit at this depth, if known.
    Enable {
        disabled_at_depth: Option<usize>,
    },
    Disable,
    ResetPassword,
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The target is outside the actor's subtree: answer as if it did not exist.
    NotFound,
    /// The target is visible, but the actor's role does not allow the action.
    Forbidden,
}

/// Decides whether `actor` may perform `action` on an object of the unit at `target`.
pub fn can(actor: &Actor, action: Action, target: &UnitPath) -> Result<(), Denied> {
    if action == Action::ReadDirective && target.contains(&actor.unit_path) {
        return Ok(());
    }
    if !actor.unit_path.contains(target) {
        return Err(Denied::NotFound);
    }
    let allowed = match action {
        Action::Read | Action::ReadDirective => true,
        Action::Write => actor.role >= Role::Operator && *target == actor.unit_path,
        Action::Approve => actor.role == Role::Admin && *target != actor.unit_path,
        Action::SubmitReport | Action::RequestShares => {
            actor.role == Role::Admin && *target == actor.unit_path
        }
        Action::Oversee | Action::ReadAccounts | Action::ReadAudit => actor.role == Role::Admin,
        Action::ReadAccount { account_id } => {
            actor.role == Role::Admin || account_id == actor.account_id
        }
        Action::CreateAccount { role } => actor.role == Role::Admin && role <= actor.role,
        Action::ManageAccount {
            account_id,
            role,
            change,
        } => {
            actor.role == Role::Admin
                && role <= actor.role
                && may_change(actor, account_id, role, change, target)
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::Forbidden)
    }
}

fn may_change(
    actor: &Actor,
    account_id: Uuid,
    role: Role,
    change: AccountChange,
    target: &UnitPath,
) -> bool {
    let itself = account_id == actor.account_id;
    // An admin's account is in the hands of the admins above it: a peer at the same unit who
    // could disable it, reset its password or change its role could take it over or shut it
    // out, so only its display name is open to peers.
    let peer_admin = role == Role::Admin && !itself && *target == actor.unit_path;
    match change {
        AccountChange::Edit {
            new_role: Some(new_role),
        } => {
            new_role <= actor.role
                && !(itself && new_role < role)
                && !(peer_admin && new_role != role)
        }
        AccountChange::Edit { new_role: None } => true,
        // A disable is lifted only at the level that set it or above.
        AccountChange::Enable { disabled_at_depth } => {
            !peer_admin && disabled_at_depth.is_none_or(|depth| actor.unit_path.depth() <= depth)
        }
        // An admin cannot lock itself out; its own password it changes with the current one.
        AccountChange::Disable | AccountChange::ResetPassword => !itself && !peer_admin,
    }
}

/// What an actor reads: the subtree of its unit. Every list is filtered by it, and the links
/// up the tree (a unit's parent, its ancestors) stop at its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadScope {
    root: UnitPath,
}

impl ReadScope {
    /// The unit at the top of what the actor reads: its own.
    pub fn root(&self) -> &UnitPath {
        &self.root
    }

    /// Whether a unit at `path` (and what belongs to it) is readable.
    pub fn includes(&self, path: &UnitPath) -> bool {
        self.root.contains(path)
    }

    /// Whether the unit directly above the one at `path` is readable: not for the scope's
    /// root, nor for anything outside the scope.
    pub fn includes_parent_of(&self, path: &UnitPath) -> bool {
        self.includes(path) && *path != self.root
    }
}

/// What `actor` reads (see [`ReadScope`]); the same as [`can`] with [`Action::Read`].
pub fn read_scope(actor: &Actor) -> ReadScope {
    ReadScope {
        root: actor.unit_path.clone(),
    }
}

/// What an actor may do at a unit, as [`can`] decides it: for a client to show only the
/// actions it will be allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(clippy::struct_excessive_bools, reason = "one flag per action")]
pub struct UnitPermissions {
    pub read_accounts: bool,
    pub read_audit: bool,
    /// The roles it may give to a new account there (empty: it may create none).
    pub assignable_roles: Vec<Role>,
    pub write: bool,
    pub approve: bool,
    /// Set the subtree's rollout plan, ask it for reports, suspend or close its pages.
    pub oversee: bool,
    /// Submit the unit's own deployment reports.
    pub submit_report: bool,
}

/// [`UnitPermissions`] of `actor` at the unit at `target`.
pub fn unit_permissions(actor: &Actor, target: &UnitPath) -> UnitPermissions {
    let allows = |action| can(actor, action, target).is_ok();
    UnitPermissions {
        read_accounts: allows(Action::ReadAccounts),
        read_audit: allows(Action::ReadAudit),
        assignable_roles: Role::ALL
            .into_iter()
            .filter(|&role| allows(Action::CreateAccount { role }))
            .collect(),
        write: allows(Action::Write),
        approve: allows(Action::Approve),
        oversee: allows(Action::Oversee),
        submit_report: allows(Action::SubmitReport),
    }
}

/// What an actor may do to an account, as [`can`] decides it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(clippy::struct_excessive_bools, reason = "one flag per action")]
pub struct AccountPermissions {
    /// Change its display name.
    pub update: bool,
    /// The roles it may set, the account's own included when it may keep it; more than that
    /// one means the role can be changed.
    pub assignable_roles: Vec<Role>,
    /// Disable it (only while it is active).
    pub disable: bool,
    /// Enable it again (only while it is disabled).
    pub enable: bool,
    pub reset_password: bool,
}

/// [`AccountPermissions`] of `actor` for `account`, which acts at the unit at `unit_path`.
pub fn account_permissions(
    actor: &Actor,
    account: &Account,
    unit_path: &UnitPath,
) -> AccountPermissions {
    let allows = |change| {
        can(
            actor,
            Action::ManageAccount {
                account_id: account.id,
                role: account.role,
                change,
            },
            unit_path,
        )
        .is_ok()
    };
    AccountPermissions {
        update: allows(AccountChange::Edit { new_role: None }),
        assignable_roles: Role::ALL
            .into_iter()
            .filter(|&role| {
                allows(AccountChange::Edit {
                    new_role: Some(role),
                })
            })
            .collect(),
        disable: account.active && allows(AccountChange::Disable),
        enable: !account.active
            && allows(AccountChange::Enable {
                disabled_at_depth: account.disabled_by.as_ref().map(UnitPath::depth),
            }),
        reset_password: allows(AccountChange::ResetPassword),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unit::UnitCode;
    use proptest::prelude::*;

    fn path(codes: &[&str]) -> UnitPath {
        let mut p = UnitPath::root(&UnitCode::root());
        for c in codes {
            p = p.child(&UnitCode::parse(c).expect("code"));
        }
        p
    }

    fn actor(role: Role, codes: &[&str]) -> Actor {
        Actor {
            account_id: Uuid::from_u128(1),
            unit_path: path(codes),
            role,
        }
    }

    #[test]
    fn everyone_reads_their_subtree_and_nothing_else() {
        for role in Role::ALL {
            let a = actor(role, &["49", "518"]);
            assert_eq!(can(&a, Action::Read, &path(&["49", "518"])), Ok(()));
            assert_eq!(
                can(&a, Action::Read, &path(&["49", "518", "20392"])),
                Ok(())
            );
            assert_eq!(can(&a, Action::Read, &path(&["49"])), Err(Denied::NotFound));
            assert_eq!(
                can(&a, Action::Read, &path(&["49", "502"])),
                Err(Denied::NotFound)
            );
            assert_eq!(can(&a, Action::Read, &path(&["48"])), Err(Denied::NotFound));
        }
    }

    #[test]
    fn directives_are_read_up_the_tree_but_never_across_it() {
        let commune = actor(Role::Viewer, &["49", "518", "20392"]);
        for above in [path(&[]), path(&["49"]), path(&["49", "518"])] {
            assert_eq!(can(&commune, Action::ReadDirective, &above), Ok(()));
            assert_eq!(can(&commune, Action::Read, &above), Err(Denied::NotFound));
        }
        for across in [path(&["49", "502"]), path(&["49", "518", "20395"])] {
            assert_eq!(
                can(&commune, Action::ReadDirective, &across),
                Err(Denied::NotFound)
            );
        }
        let district = actor(Role::Admin, &["49", "518"]);
        assert_eq!(
            can(
                &district,
                Action::ReadDirective,
                &path(&["49", "518", "20392"])
            ),
            Ok(())
        );
        assert_eq!(
            can(&district, Action::RequestShares, &path(&["49", "518"])),
            Ok(())
        );
        assert_eq!(
            can(
                &district,
                Action::RequestShares,
                &path(&["49", "518", "20392"])
            ),
            Err(Denied::Forbidden)
        );
        let operator = actor(Role::Operator, &["49", "518"]);
        assert_eq!(
            can(&operator, Action::RequestShares, &path(&["49", "518"])),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn operators_write_only_their_own_unit() {
        let op = actor(Role::Operator, &["49", "518"]);
        assert_eq!(can(&op, Action::Write, &path(&["49", "518"])), Ok(()));
        assert_eq!(
            can(&op, Action::Write, &path(&["49", "518", "20392"])),
            Err(Denied::Forbidden)
        );
        let viewer = actor(Role::Viewer, &["49", "518"]);
        assert_eq!(
            can(&viewer, Action::Write, &path(&["49", "518"])),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn only_admins_manage_accounts() {
        let admin = actor(Role::Admin, &["49", "518"]);
        let commune = path(&["49", "518", "20392"]);
        assert_eq!(
            can(
                &admin,
                Action::CreateAccount {
                    role: Role::Operator
                },
                &commune
            ),
            Ok(())
        );
        assert_eq!(can(&admin, Action::ReadAccounts, &commune), Ok(()));
        for role in [Role::Operator, Role::Viewer] {
            let a = actor(role, &["49", "518"]);
            assert_eq!(
                can(&a, Action::CreateAccount { role: Role::Viewer }, &commune),
                Err(Denied::Forbidden)
            );
            assert_eq!(
                can(&a, Action::ReadAccounts, &commune),
                Err(Denied::Forbidden)
            );
        }
    }

    #[test]
    fn an_admin_cannot_disable_demote_or_reset_itself() {
        let admin = actor(Role::Admin, &["49"]);
        let own = admin.unit_path.clone();
        let me = admin.account_id;
        let act = |change| Action::ManageAccount {
            account_id: me,
            role: Role::Admin,
            change,
        };
        assert_eq!(
            can(&admin, act(AccountChange::Disable), &own),
            Err(Denied::Forbidden)
        );
        assert_eq!(
            can(&admin, act(AccountChange::ResetPassword), &own),
            Err(Denied::Forbidden)
        );
        assert_eq!(
            can(
                &admin,
                act(AccountChange::Edit {
                    new_role: Some(Role::Viewer)
                }),
                &own
            ),
            Err(Denied::Forbidden)
        );
        assert_eq!(
            can(&admin, act(AccountChange::Edit { new_role: None }), &own),
            Ok(())
        );
    }

    #[test]
    fn only_an_admin_above_disables_resets_or_changes_the_role_of_an_admin() {
        let peer = actor(Role::Admin, &["49", "518"]);
        let above = actor(Role::Admin, &["49"]);
        let district = path(&["49", "518"]);
        let act = |change| Action::ManageAccount {
            account_id: Uuid::from_u128(2),
            role: Role::Admin,
            change,
        };
        for change in [
            AccountChange::Disable,
            AccountChange::ResetPassword,
            AccountChange::Edit {
                new_role: Some(Role::Viewer),
            },
            AccountChange::Enable {
                disabled_at_depth: None,
            },
        ] {
            assert_eq!(
                can(&peer, act(change), &district),
                Err(Denied::Forbidden),
                "{change:?}"
            );
            assert_eq!(can(&above, act(change), &district), Ok(()), "{change:?}");
        }
        assert_eq!(
            can(
                &peer,
                act(AccountChange::Edit { new_role: None }),
                &district
            ),
            Ok(()),
            "peers may fix a display name"
        );
        let operator = Action::ManageAccount {
            account_id: Uuid::from_u128(3),
            role: Role::Operator,
            change: AccountChange::Disable,
        };
        assert_eq!(
            can(&peer, operator, &district),
            Ok(()),
            "non-admins at the unit stay in its admins' hands"
        );
    }

    #[test]
    fn a_disable_is_lifted_only_from_its_level_or_above() {
        let province = actor(Role::Admin, &["49"]);
        let district = actor(Role::Admin, &["49", "518"]);
        let commune = path(&["49", "518", "20392"]);
        let enable = |disabled_at_depth| Action::ManageAccount {
            account_id: Uuid::from_u128(2),
            role: Role::Operator,
            change: AccountChange::Enable { disabled_at_depth },
        };
        let by_province = Some(province.unit_path.depth());
        assert_eq!(
            can(&district, enable(by_province), &commune),
            Err(Denied::Forbidden)
        );
        assert_eq!(can(&province, enable(by_province), &commune), Ok(()));
        let by_district = Some(district.unit_path.depth());
        assert_eq!(can(&district, enable(by_district), &commune), Ok(()));
        assert_eq!(can(&province, enable(by_district), &commune), Ok(()));
    }

    fn arb_role() -> impl Strategy<Value = Role> {
        prop::sample::select(Role::ALL.to_vec())
    }

    fn arb_change() -> impl Strategy<Value = AccountChange> {
        prop_oneof![
            prop::option::of(arb_role()).prop_map(|new_role| AccountChange::Edit { new_role }),
            prop::option::of(0usize..5)
                .prop_map(|disabled_at_depth| AccountChange::Enable { disabled_at_depth }),
            Just(AccountChange::Disable),
            Just(AccountChange::ResetPassword),
        ]
    }

    fn arb_action() -> impl Strategy<Value = Action> {
        prop_oneof![
            Just(Action::Read),
            Just(Action::Write),
            Just(Action::Approve),
            Just(Action::Oversee),
            Just(Action::SubmitReport),
            Just(Action::ReadDirective),
            Just(Action::RequestShares),
            Just(Action::ReadAccounts),
            Just(Action::ReadAudit),
            (0u128..4).prop_map(|id| Action::ReadAccount {
                account_id: Uuid::from_u128(id)
            }),
            arb_role().prop_map(|role| Action::CreateAccount { role }),
            (0u128..4, arb_role(), arb_change()).prop_map(|(id, role, change)| {
                Action::ManageAccount {
                    account_id: Uuid::from_u128(id),
                    role,
                    change,
                }
            }),
        ]
    }

    /// A random path in a small random tree: codes drawn from a few values per level, so
    /// actors and targets often share ancestors.
    fn arb_path() -> impl Strategy<Value = UnitPath> {
        prop::collection::vec(prop::sample::select(vec!["10", "11", "12", "13"]), 0..4)
            .prop_map(|codes| path(&codes))
    }

    #[test]
    fn the_read_scope_is_the_subtree_and_stops_above_it() {
        let scope = read_scope(&actor(Role::Viewer, &["49", "518"]));
        assert_eq!(scope.root(), &path(&["49", "518"]));
        assert!(scope.includes(&path(&["49", "518", "20392"])));
        assert!(!scope.includes(&path(&["49"])));
        assert!(scope.includes_parent_of(&path(&["49", "518", "20392"])));
        assert!(
            !scope.includes_parent_of(&path(&["49", "518"])),
            "its own parent is above it"
        );
        assert!(!scope.includes_parent_of(&path(&["49", "502"])));
    }

    #[test]
    fn everyone_reads_their_own_account_and_admins_their_subtree() {
        let me = Uuid::from_u128(1);
        let other = Uuid::from_u128(2);
        let own_unit = path(&["49", "518"]);
        for role in Role::ALL {
            let a = actor(role, &["49", "518"]);
            assert_eq!(
                can(&a, Action::ReadAccount { account_id: me }, &own_unit),
                Ok(())
            );
            let verdict = can(&a, Action::ReadAccount { account_id: other }, &own_unit);
            assert_eq!(verdict.is_ok(), role == Role::Admin, "{role:?}");
        }
    }

    fn account(id: u128, role: Role, active: bool) -> Account {
        Account {
            id: Uuid::from_u128(id),
            username: crate::Username::parse("can.bo").expect("username"),
            display_name: "Cán bộ".to_owned(),
            unit_id: Uuid::from_u128(99),
            role,
            active,
            must_change_password: false,
            token_version: 0,
            created_at: chrono::DateTime::UNIX_EPOCH,
            last_login_at: None,
            disabled_by: (!active).then(|| path(&["49"])),
        }
    }

    #[test]
    fn permissions_summarise_what_can_allows() {
        let admin = actor(Role::Admin, &["49", "518"]);
        let commune = path(&["49", "518", "20392"]);
        let here = unit_permissions(&admin, &commune);
        assert!(here.read_accounts && !here.write && here.approve);
        assert_eq!(here.assignable_roles, Role::ALL.to_vec());
        let operator = actor(Role::Operator, &["49", "518"]);
        let own = unit_permissions(&operator, &path(&["49", "518"]));
        assert!(!own.read_accounts && own.write && !own.approve);
        assert!(own.assignable_roles.is_empty());

        let viewer = account(2, Role::Viewer, true);
        let p = account_permissions(&admin, &viewer, &commune);
        assert!(p.update && p.disable && !p.enable && p.reset_password);
        assert_eq!(p.assignable_roles, Role::ALL.to_vec());
        // Disabled by the province: the district cannot lift it.
        let disabled = account(3, Role::Viewer, false);
        let p = account_permissions(&admin, &disabled, &commune);
        assert!(!p.disable && !p.enable);
        // Itself: its name, its own role kept, nothing that locks it out.
        let itself = account(1, Role::Admin, true);
        let p = account_permissions(&admin, &itself, &path(&["49", "518"]));
        assert!(p.update && !p.disable && !p.reset_password);
        assert_eq!(p.assignable_roles, vec![Role::Admin]);
    }

    proptest! {
        #[test]
        fn never_allows_outside_the_subtree_or_above_the_role(
            role in arb_role(),
            actor_path in arb_path(),
            target in arb_path(),
            action in arb_action(),
            actor_id in 0u128..4,
        ) {
            let a = Actor { account_id: Uuid::from_u128(actor_id), unit_path: actor_path, role };
            let verdict = can(&a, action, &target);
            if action == Action::ReadDirective && target.contains(&a.unit_path) {
                // The one read upward: a directive of a unit above the actor.
                prop_assert_eq!(verdict, Ok(()));
            } else if !a.unit_path.contains(&target) {
                prop_assert_eq!(verdict, Err(Denied::NotFound));
            }
            if verdict.is_ok() && action != Action::ReadDirective {
                prop_assert!(a.unit_path.contains(&target));
                match action {
                    Action::Read | Action::ReadDirective => {}
                    Action::Write => prop_assert!(role >= Role::Operator && target == a.unit_path),
                    Action::Approve => prop_assert!(role == Role::Admin && target != a.unit_path),
                    Action::SubmitReport | Action::RequestShares => prop_assert!(role == Role::Admin && target == a.unit_path),
                    Action::Oversee | Action::ReadAccounts | Action::ReadAudit => prop_assert_eq!(role, Role::Admin),
                    Action::ReadAccount { account_id } => {
                        prop_assert!(role == Role::Admin || account_id == a.account_id);
                    }
                    Action::CreateAccount { role: created } => {
                        prop_assert_eq!(role, Role::Admin);
                        prop_assert!(created <= role);
                    }
                    Action::ManageAccount { role: managed, change, account_id } => {
                        prop_assert_eq!(role, Role::Admin);
                        prop_assert!(managed <= role);
                        if let AccountChange::Edit { new_role: Some(new_role) } = change {
                            prop_assert!(new_role <= role);
                        }
                        if account_id == a.account_id {
                            prop_assert!(!matches!(change, AccountChange::Disable | AccountChange::ResetPassword));
                        } else if managed == Role::Admin
                            && !matches!(change, AccountChange::Edit { new_role } if new_role.is_none_or(|r| r == managed))
                        {
                            prop_assert!(target != a.unit_path, "only from above: {change:?}");
                        }
                        if let AccountChange::Enable { disabled_at_depth: Some(depth) } = change {
                            prop_assert!(a.unit_path.depth() <= depth);
                        }
                    }
                }
            }
        }
    }
}
