//! Accounts created from the command line: the bootstrap admin and the demo accounts.

use anyhow::{Context as _, bail};
use app::accounts::{NewAccountInput, Whose};
use app::{AppError, By, password};
use domain::{Account, Role};
use store::DatabaseConnection;

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

/// What the operator is told when the use case refuses, in Vietnamese.
fn refusal(error: AppError, not_found: String) -> anyhow::Error {
    match error {
        AppError::NotFound => anyhow::anyhow!(not_found),
        AppError::Invalid(errors) => anyhow::anyhow!(
            errors
                .into_iter()
                .map(|e| e.message)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => other.into(),
    }
}

/// Creates the account (`app::accounts::create_account`, by the operator); returns it with
/// the generated password, if one was generated.
pub async fn create(
    db: &DatabaseConnection,
    spec: Bootstrap,
) -> anyhow::Result<(Account, Option<String>)> {
    let unit_code = spec.unit_code.clone();
    let username = spec.username.clone();
    let created = app::accounts::create_account(
        db,
        By::Operator,
        NewAccountInput {
            unit_code: spec.unit_code,
            username: spec.username,
            display_name: spec.display_name,
            role: spec.role,
            password: spec.password,
        },
    )
    .await;
    match created {
        Ok(created) => Ok((created.account, created.generated_password)),
        Err(AppError::Invalid(errors)) if errors.iter().any(|e| e.code == "USERNAME_TAKEN") => {
            bail!("tên đăng nhập «{username}» đã được dùng")
        }
        Err(e) => Err(refusal(e, format!("không có đơn vị mã «{unit_code}»"))),
    }
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
/// or a generated one-time password that must be changed at the next sign-in
/// (`app::accounts::reset_password`, by the operator). Ends every session of the account and
/// records `account.reset_password` in the audit trail. Returns the account and the generated
/// password, if one was generated.
pub async fn reset_password(
    db: &DatabaseConnection,
    username: &str,
    password: Option<String>,
) -> anyhow::Result<(Account, Option<String>)> {
    app::accounts::reset_password(
        db,
        By::Operator,
        Whose::Username(username),
        password.as_deref(),
    )
    .await
    .map(|reset| (reset.account, reset.generated_password))
    .map_err(|e| refusal(e, format!("không có tài khoản «{}»", username.trim())))
}
