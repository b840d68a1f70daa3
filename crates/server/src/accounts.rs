//! Accounts created from the command line: the bootstrap admin and the demo accounts.

use anyhow::{Context as _, bail};
use api::auth::password;
use domain::{Account, DisplayName, Role, Username};
use store::DatabaseConnection;
use store::accounts::NewAccount;

/// An account to create outside the API.
#[derive(Debug, Clone)]
pub struct Bootstrap {
    pub unit_code: String,
    pub username: String,
    /// Defaults to the committee's name, e.g. "Ban Thường trực UBMTTQ huyện Phú Ninh".
    pub display_name: Option<String>,
    pub role: Role,
    /// `None`: generate one, which the account must change at its first sign-in.
    pub password: Option<String>,
}

/// Creates the account; returns it with the generated password, if one was generated.
pub async fn create(
    db: &DatabaseConnection,
    spec: Bootstrap,
) -> anyhow::Result<(Account, Option<String>)> {
    let unit = store::units::by_code(db, spec.unit_code.trim())
        .await?
        .with_context(|| format!("không có đơn vị mã «{}»", spec.unit_code))?;
    let username = Username::parse(&spec.username)?;
    let display_name =
        DisplayName::parse(&spec.display_name.unwrap_or_else(|| unit.committee_name()))?;
    if let Some(password) = &spec.password {
        let full_name = unit.full_name();
        let easy = [
            display_name.as_str(),
            unit.name.as_str(),
            full_name.as_str(),
        ];
        domain::account::check_new_password(password, &username, &easy)?;
    }
    let (hash, generated) = password::initial(spec.password.as_deref()).await?;
    let new = NewAccount {
        username,
        display_name,
        unit_id: unit.id,
        role: spec.role,
        password_hash: hash,
        must_change_password: generated.is_some(),
    };
    let account = match store::accounts::create(db, new).await {
        Err(store::StoreError::Conflict(_)) => {
            bail!("tên đăng nhập «{}» đã được dùng", spec.username)
        }
        other => other?,
    };
    store::audit::record(
        db,
        store::audit::Event {
            actor_id: None,
            action: "account.create",
            target_type: "account",
            target_id: Some(account.id),
            detail: Some(serde_json::json!({ "via": "cli", "unit": unit.code.as_str(), "role": spec.role.as_str() })),
        },
    )
    .await?;
    Ok((account, generated))
}

/// The demo accounts of the January 2025 list, in Quảng Nam: (username, role, unit code).
pub const DEMO_ACCOUNTS: [(&str, Role, &str); 4] = [
    ("tinh.quangnam", Role::Admin, "49"),
    ("huyen.phuninh", Role::Admin, "518"),
    ("xa.tamthanh", Role::Operator, "20365"),
    ("xem.quangnam", Role::Viewer, "49"),
];

/// The demo accounts of the two-tier July 2025 list: Quảng Nam was merged into Thành phố Đà
/// Nẵng (48), and Xã Phú Ninh (20392) carries the code of the former Xã Tam Dân, the seat of
/// the new commune, in the old Huyện Phú Ninh.
pub const DEMO_ACCOUNTS_TWO_TIER: [(&str, Role, &str); 4] = [
    ("tp.danang", Role::Admin, "48"),
    ("xa.phuninh", Role::Admin, "20392"),
    ("vanhanh.phuninh", Role::Operator, "20392"),
    ("xem.danang", Role::Viewer, "48"),
];

/// On a database without accounts, creates the demo accounts of the list it holds (three or
/// two tiers) with generated passwords (that need no change) and prints one line per account
/// on stdout: `demo-account username=… password=… role=ADMIN unit=518`.
pub async fn create_demo_accounts(db: &DatabaseConnection) -> anyhow::Result<()> {
    if store::accounts::total(db).await? > 0 {
        tracing::info!("accounts exist already: no demo accounts created");
        return Ok(());
    }
    let demo = if crate::seed::holding(db).await?.three_tier() {
        DEMO_ACCOUNTS
    } else {
        DEMO_ACCOUNTS_TWO_TIER
    };
    for (username, role, unit_code) in demo {
        let password = password::generate();
        create(
            db,
            Bootstrap {
                unit_code: unit_code.to_owned(),
                username: username.to_owned(),
                display_name: None,
                role,
                password: Some(password.clone()),
            },
        )
        .await
        .with_context(|| format!("cannot create demo account {username}"))?;
        println!(
            "demo-account username={username} password={password} role={} unit={unit_code}",
            role.as_str().to_uppercase()
        );
    }
    Ok(())
}

/// Gives an account a new password (`tcd account reset-password`), for a lost one: `password`,
/// or a generated one-time password that must be changed at the next sign-in. Ends every
/// session of the account and records `account.reset_password` in the audit trail. Returns
/// the account and the generated password, if one was generated.
pub async fn reset_password(
    db: &DatabaseConnection,
    username: &str,
    password: Option<String>,
) -> anyhow::Result<(Account, Option<String>)> {
    let parsed = Username::parse(username)?;
    let account = store::accounts::by_username(db, &parsed)
        .await?
        .with_context(|| format!("không có tài khoản «{}»", username.trim()))?
        .account;
    if let Some(password) = &password {
        let (_, unit) = store::accounts::with_unit(db, account.id)
            .await?
            .context("tài khoản không có đơn vị")?;
        let full_name = unit.full_name();
        let easy = [
            account.display_name.as_str(),
            unit.name.as_str(),
            full_name.as_str(),
        ];
        domain::account::check_new_password(password, &account.username, &easy)?;
    }
    let generated = password.is_none().then(password::generate);
    let hash = password::hash(
        password
            .as_deref()
            .or(generated.as_deref())
            .unwrap_or_default(),
    )
    .await?;
    let txn = store::begin(db).await?;
    let updated =
        store::accounts::set_password(&txn, account.id, hash, generated.is_some()).await?;
    store::throttle::clear(
        &txn,
        &store::throttle::account_key(account.username.as_str()),
    )
    .await?;
    store::audit::record(
        &txn,
        store::audit::Event {
            actor_id: None,
            action: "account.reset_password",
            target_type: "account",
            target_id: Some(account.id),
            detail: Some(serde_json::json!({ "via": "cli" })),
        },
    )
    .await?;
    store::commit(txn).await?;
    Ok((updated, generated))
}
